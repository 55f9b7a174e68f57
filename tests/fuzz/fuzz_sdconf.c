/*
 * libFuzzer target: supervisord configuration text as svx migrate reads
 * it (adapters/supervisord/sdconf.c): section values, commenting sections out, %()
 * expansion, environment= and command= splitting, the run script.
 * What must hold: no crash, no read past the input, results that are
 * terminated and within their buffers, a commented-out section gone.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../adapters/supervisord/sdconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char env_text[] = "HOME=/root\0PATH=/bin\0";
static const struct sd_expand x = { "/etc/supervisor", "web", "web", "h",
	"0", env_text, sizeof(env_text) - 1 };

static void
check_value(const char *text, const char *key)
{
	char v[512], out[1024], words[2048];
	static char run[16384];
	static struct sd_env e;
	struct sd_run r;
	const char *why;

	if (sdconf_value(text, "program:web", key, v, sizeof(v)) != 1)
		return;
	if (strnlen(v, sizeof(v)) == sizeof(v))
		abort();
	if (sdconf_expand(v, &x, out, sizeof(out), &why) == 0 &&
	    strnlen(out, sizeof(out)) == sizeof(out))
		abort();
	if (sdconf_environment(v, &e, &why) == 0 && e.n > SDCONF_ENV_MAX)
		abort();
	if (sdconf_sh_words(v, NULL, words, sizeof(words), &why) == 0 &&
	    words[0] != '\'')
		abort();
	memset(&r, 0, sizeof(r));
	r.command = v;
	r.directory = r.umask = r.user = "";
	r.env = &e;
	r.origin = "fuzz";
	if (sdconf_render_run(&r, BACKEND_RUNIT, run, sizeof(run)) == 0 &&
	    strncmp(run, "#!/bin/sh\n", 10) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[8192], out[2 * 8192 + 4096];
	const char *sections[] = { "program:web", "group:web" };

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	check_value(text, "command");
	check_value(text, "environment");
	(void)sdconf_has_section(text, "program:web");
	if (sdconf_comment_out(text, sections, 2, out, sizeof(out)) == 0 &&
	    sdconf_has_section(out, "program:web"))
		abort();
	return 0;
}
