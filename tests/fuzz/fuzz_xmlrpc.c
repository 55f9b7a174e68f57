/*
 * libFuzzer target: supervisord's answers (an HTTP head, then XML-RPC,
 * read with expat into fixed records: process info, a program's
 * configuration, a piece of a log) and supervisord.conf's socket line.
 * What must hold: no crash, no read past the input, records that are
 * terminated strings and known counts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../adapters/supervisord/supervisord.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define HEAD	"HTTP/1.0 200 OK\r\n\r\n"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[65536 + sizeof(HEAD)];
	static struct sd_proc procs[4];
	static struct sd_program prog;
	static char logbuf[512];
	struct sd_log log = { logbuf, sizeof(logbuf), 0, 0, 0, 0 };
	struct sd_conn c;
	char sock[108];
	size_t n = 0, i;

	if (size > 65536)
		return 0;
	/* Half the inputs as they come, half behind a good HTTP head. */
	if (size > 0 && (data[0] & 1)) {
		memcpy(buf, HEAD, sizeof(HEAD) - 1);
		memcpy(buf + sizeof(HEAD) - 1, data + 1, size - 1);
		buf[sizeof(HEAD) - 1 + size - 1] = '\0';
	} else {
		memcpy(buf, data, size);
		buf[size] = '\0';
	}
	memset(&c, 0, sizeof(c));
	(void)sd_parse_response(buf, strlen(buf), &c, procs, 4, &n);
	if (n > 4 || strnlen(c.fault_string, sizeof(c.fault_string)) ==
	    sizeof(c.fault_string))
		abort();
	for (i = 0; i < n; i++)
		if (strnlen(procs[i].name, SD_NAME_MAX) == SD_NAME_MAX ||
		    strnlen(procs[i].statename, 16) == 16)
			abort();
	if (sd_parse_program(buf, strlen(buf), &c, "web", "web", &prog) ==
	    SD_OK && (strnlen(prog.command, sizeof(prog.command)) ==
	    sizeof(prog.command) || strcmp(prog.name, "web") != 0))
		abort();
	/* A log's bytes: never more than its buffer, always terminated. */
	for (i = 0; i < 2; i++)
		if (sd_parse_log(buf, strlen(buf), &c, (int)i, &log) ==
		    SD_OK && (log.len >= log.size || logbuf[log.len] != '\0'))
			abort();
	if (sd_config_socket(buf, sock, sizeof(sock)) == 0 &&
	    strnlen(sock, sizeof(sock)) == sizeof(sock))
		abort();
	return 0;
}
