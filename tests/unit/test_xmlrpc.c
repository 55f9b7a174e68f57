/*
 * supervisord's XML-RPC answers as svx reads them (adapters/supervisord/supervisord.c):
 * process info, arrays of it, faults, HTTP errors, broken XML; and the
 * socket path from a supervisord.conf.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../../adapters/supervisord/supervisord.h"

#define HEAD	"HTTP/1.0 200 OK\r\nContent-Type: text/xml\r\n\r\n"

static const char info[] = HEAD
    "<?xml version='1.0'?>\n<methodResponse><params><param><value><struct>"
    "<member><name>name</name><value><string>web</string></value></member>"
    "<member><name>group</name><value><string>web</string></value></member>"
    "<member><name>state</name><value><int>20</int></value></member>"
    "<member><name>statename</name><value><string>RUNNING</string>"
    "</value></member>"
    "<member><name>pid</name><value><int>4242</int></value></member>"
    "<member><name>start</name><value><int>1700000000</int></value>"
    "</member>"
    "<member><name>now</name><value><int>1700000065</int></value></member>"
    "<member><name>description</name><value>pid 4242, uptime 0:01:05"
    "</value></member>"
    "<member><name>exitstatus</name><value><i4>0</i4></value></member>"
    "</struct></value></param></params></methodResponse>";

static void
test_process_info(void **state)
{
	struct sd_conn c;
	struct sd_proc p;
	size_t n = 0;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(sd_parse_response(info, sizeof(info) - 1, &c, &p, 1,
	    &n), SD_OK);
	assert_int_equal(n, 1);
	assert_string_equal(p.name, "web");
	assert_string_equal(p.statename, "RUNNING");
	assert_int_equal(p.state, SD_RUNNING);
	assert_int_equal(p.pid, 4242);
	assert_int_equal(p.now - p.start, 65);
}

static void
test_array_of_processes(void **state)
{
	char buf[8192];
	struct sd_conn c;
	struct sd_proc p[3];
	size_t n = 0;

	(void)state;
	snprintf(buf, sizeof(buf), HEAD "<methodResponse><params><param>"
	    "<value><array><data>%s%s%s</data></array></value></param>"
	    "</params></methodResponse>",
	    "<value><struct><member><name>name</name><value>a</value></member>"
	    "<member><name>state</name><value><int>0</int></value></member>"
	    "</struct></value>",
	    "<value><struct><member><name>name</name><value>b</value></member>"
	    "<member><name>state</name><value><int>200</int></value></member>"
	    "<member><name>spawnerr</name><value>can&apos;t find command"
	    "</value></member></struct></value>",
	    "<value><struct><member><name>name</name><value>c</value></member>"
	    "</struct></value>");
	memset(&c, 0, sizeof(c));
	assert_int_equal(sd_parse_response(buf, strlen(buf), &c, p, 3, &n),
	    SD_OK);
	assert_int_equal(n, 3);
	assert_string_equal(p[1].name, "b");
	assert_int_equal(p[1].state, SD_FATAL);
	assert_string_equal(p[1].spawnerr, "can't find command");
	assert_int_equal(p[2].state, SD_UNKNOWN);	/* not said: unknown */
	/* More than the caller keeps: an error, not a silent cut. */
	assert_int_equal(sd_parse_response(buf, strlen(buf), &c, p, 2, &n),
	    SD_PROTOCOL);
}

static void
test_fault(void **state)
{
	static const char fault[] = HEAD "<methodResponse><fault><value>"
	    "<struct><member><name>faultCode</name><value><int>10</int>"
	    "</value></member><member><name>faultString</name><value>"
	    "<string>BAD_NAME: nope</string></value></member></struct>"
	    "</value></fault></methodResponse>";
	struct sd_conn c;
	struct sd_proc p;
	size_t n = 0;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(sd_parse_response(fault, sizeof(fault) - 1, &c, &p,
	    1, &n), SD_FAULT);
	assert_int_equal(c.fault_code, 10);
	assert_string_equal(c.fault_string, "BAD_NAME: nope");
	assert_int_equal(n, 0);
}

static void
test_not_xmlrpc(void **state)
{
	static const char *const bad[] = {
		"", "HTTP/1.0 401 Unauthorized\r\n\r\n",
		"HTTP/1.0 500 Internal\r\n\r\n<x/>",
		"HTTP/1.0 200 OK\r\n\r\n<methodResponse><params>",
		"HTTP/1.0 200 OK\r\n\r\n\xff\xfe<",
		"SSH-2.0-OpenSSH\r\n", "HTTP/1.0 200 OK no body",
	};
	struct sd_conn c;
	struct sd_proc p;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&c, 0, sizeof(c));
		assert_int_not_equal(sd_parse_response(bad[i], strlen(bad[i]),
		    &c, &p, 1, &n), SD_OK);
	}
	memset(&c, 0, sizeof(c));
	assert_int_equal(sd_parse_response(bad[1], strlen(bad[1]), &c, &p, 1,
	    &n), SD_DENIED);
}

static void
test_config_socket(void **state)
{
	char out[108];

	(void)state;
	assert_int_equal(sd_config_socket("[supervisord]\nfile=/no\n"
	    "[unix_http_server]\nchmod=0700\nfile = /run/sd.sock ; a comment\n",
	    out, sizeof(out)), 0);
	assert_string_equal(out, "/run/sd.sock");
	assert_int_equal(sd_config_socket("[inet_http_server]\nport=9001\n",
	    out, sizeof(out)), -1);
	/* %(here)s needs the file's directory: not guessed. */
	assert_int_equal(sd_config_socket("[unix_http_server]\n"
	    "file=%(here)s/sd.sock\n", out, sizeof(out)), -1);
}


/* getAllConfigInfo: the one record asked for, arrays inside skipped. */
#define CONF_MEMBER(k, v) "<member><name>" k "</name><value>" v \
	"</value></member>"
#define CONF_STRUCT(group, name, cmd) "<value><struct>" \
	CONF_MEMBER("group", "<string>" group "</string>") \
	CONF_MEMBER("name", "<string>" name "</string>") \
	CONF_MEMBER("command", "<string>" cmd "</string>") \
	CONF_MEMBER("exitcodes", "<array><data><value><int>0</int></value>" \
	"<value><int>2</int></value></data></array>") \
	CONF_MEMBER("uid", "<string>none</string>") \
	CONF_MEMBER("autostart", "<boolean>0</boolean>") \
	CONF_MEMBER("stopsignal", "<int>3</int>") \
	CONF_MEMBER("stdout_logfile_maxbytes", "<int>1048576</int>") \
	"</struct></value>"

static const char config_info[] = HEAD
    "<?xml version='1.0'?>\n<methodResponse><params><param><value><array>"
    "<data>"
    CONF_STRUCT("grp", "a", "/bin/a -x")
    CONF_STRUCT("web", "web", "/usr/bin/web --port 80 &amp; more")
    CONF_STRUCT("grp", "b", "/bin/b")
    "</data></array></value></param></params></methodResponse>";

static void
test_program_config(void **state)
{
	struct sd_conn c;
	struct sd_program p;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(sd_parse_program(config_info, sizeof(config_info) - 1,
	    &c, "web", "web", &p), SD_OK);
	assert_string_equal(p.command, "/usr/bin/web --port 80 & more");
	assert_int_equal(p.uid, -1);
	assert_int_equal(p.autostart, 0);
	assert_int_equal(p.stopsignal, 3);
	assert_int_equal(p.stdout_logfile_maxbytes, 1048576);
	assert_int_equal(p.truncated, 0);
	assert_int_equal(sd_parse_program(config_info, sizeof(config_info) - 1,
	    &c, "grp", "b", &p), SD_OK);
	assert_string_equal(p.command, "/bin/b");
	/* A name it does not have: supervisord's own BAD_NAME. */
	assert_int_equal(sd_parse_program(config_info, sizeof(config_info) - 1,
	    &c, "grp", "web", &p), SD_FAULT);
	assert_int_equal(c.fault_code, 10);
}

static void
test_program_config_too_long(void **state)
{
	static char buf[16384];
	char cmd[6000];
	struct sd_conn c;
	struct sd_program p;

	(void)state;
	memset(cmd, 'x', sizeof(cmd) - 1);
	cmd[sizeof(cmd) - 1] = '\0';
	snprintf(buf, sizeof(buf), HEAD "<methodResponse><params><param>"
	    "<value><array><data><value><struct>"
	    "<member><name>group</name><value>w</value></member>"
	    "<member><name>name</name><value>w</value></member>"
	    "<member><name>command</name><value>%s</value></member>"
	    "</struct></value></data></array></value></param></params>"
	    "</methodResponse>", cmd);
	memset(&c, 0, sizeof(c));
	assert_int_equal(sd_parse_program(buf, strlen(buf), &c, "w", "w", &p),
	    SD_OK);
	assert_int_equal(p.truncated, 1);
}

static void
test_scalar_answer(void **state)
{
	static const char pid[] = HEAD "<?xml version='1.0'?>\n"
	    "<methodResponse><params><param><value><int>24330</int></value>"
	    "</param></params></methodResponse>";
	struct sd_conn c;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(sd_parse_response(pid, sizeof(pid) - 1, &c, NULL, 0,
	    NULL), SD_OK);
	assert_int_equal(c.result, 24330);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_process_info),
		cmocka_unit_test(test_array_of_processes),
		cmocka_unit_test(test_fault),
		cmocka_unit_test(test_not_xmlrpc),
		cmocka_unit_test(test_config_socket),
		cmocka_unit_test(test_program_config),
		cmocka_unit_test(test_program_config_too_long),
		cmocka_unit_test(test_scalar_answer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
