/*
 * libFuzzer target: a systemd unit file as svx import reads it
 * (adapters/systemd/): the file, then the same text again as a drop-in;
 * every value's specifiers for a template's instance; every Exec*= line
 * split, its prefixes read and its $VAR expanded; the first line as a
 * unit name. What must hold: no crash, no read past the input, every
 * string terminated within its buffer, a list never longer than its
 * assignments.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../adapters/systemd/unit.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct unit u;
static struct unit_exec e;

static const struct unit_context ctx = { "/lib/systemd/system/x@.service",
	"host.example", "0123456789abcdef0123456789abcdef", NULL, "6.1.0",
	"x86-64" };

static void
check_value(const struct unit_name *n, size_t i)
{
	static const char *const env[] = { "A=1", "B=two words", "EMPTY=" };
	char out[4096];
	const char *why, *key = unit_key(&u, i), *value = unit_value(&u, i);

	if (unit_specifiers(value, n, &ctx, out, sizeof(out), &why) == 0 &&
	    strnlen(out, sizeof(out)) == sizeof(out))
		abort();
	if (strncmp(key, "Exec", 4) != 0)
		return;
	if (unit_exec_parse(value, n, &ctx, &e, &why) == -1) {
		if (why == NULL)
			abort();
		return;
	}
	if (e.nwords == 0 || e.nwords > UNIT_WORDS_MAX)
		abort();
	if (unit_exec_expand(&e, env, 3, &why) == 0 && e.nwords >
	    UNIT_WORDS_MAX)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *list[8], *why, *nl;
	char first[UNIT_NAME_MAX];
	struct unit_name n, named;
	size_t i, len;

	unit_init(&u);
	if (unit_parse(&u, (const char *)data, size, &why) == 0)
		(void)unit_parse(&u, (const char *)data, size, &why);
	else if (why == NULL)
		abort();
	if (unit_name_parse("x@a-b\\x2dc.service", &n, &why) == -1)
		abort();
	for (i = 0; i < u.nentries; i++)
		check_value(&n, i);
	if (u.nentries > 0 && unit_list(&u, unit_section(&u, 0),
	    unit_key(&u, 0), list, 8) > u.nentries)
		abort();
	nl = memchr(data, '\n', size);
	len = nl != NULL ? (size_t)(nl - (const char *)data) : size;
	if (len < sizeof(first) && memchr(data, '\0', len) == NULL) {
		memcpy(first, data, len);
		first[len] = '\0';
		if (unit_name_parse(first, &named, &why) == 0 &&
		    unit_unescape(named.instance, first, sizeof(first)) == 0 &&
		    strnlen(first, sizeof(first)) == sizeof(first))
			abort();
	}
	return 0;
}
