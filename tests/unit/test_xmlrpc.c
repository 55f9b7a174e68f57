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

/* ---- a program's log: tailProcessStdoutLog, readProcessStdoutLog ---- */

/* As supervisord 4.2.5 sends it (Python's xmlrpc.client.dumps). */
#define LOG_ANSWER(bytes, end, overflow) HEAD "<?xml version='1.0'?>\n" \
    "<methodResponse>\n<params>\n<param>\n<value><array><data>\n" \
    "<value><string>" bytes "</string></value>\n" \
    "<value><int>" end "</int></value>\n" \
    "<value><boolean>" overflow "</boolean></value>\n" \
    "</data></array></value>\n</param>\n</params>\n</methodResponse>\n"

static char logbuf[65536];

static void
log_init(struct sd_conn *c, struct sd_log *log, size_t size)
{
	memset(c, 0, sizeof(*c));
	memset(log, 0, sizeof(*log));
	log->buf = logbuf;
	log->size = size;
	log->end = -1;
}

static void
test_log_tail(void **state)
{
	static const char a[] = LOG_ANSWER("a &amp; b &lt;c&gt;\nline 2\n",
	    "42", "0");
	struct sd_conn c;
	struct sd_log log;

	(void)state;
	log_init(&c, &log, sizeof(logbuf));
	assert_int_equal(sd_parse_log(a, sizeof(a) - 1, &c, 0, &log), SD_OK);
	assert_string_equal(log.buf, "a & b <c>\nline 2\n");
	assert_int_equal(log.len, 17);
	assert_int_equal(log.end, 42);
	assert_int_equal(log.overflow, 0);
	assert_int_equal(log.cut, 0);
}

static void
test_log_tail_overflow(void **state)
{
	static const char a[] = LOG_ANSWER("tail\n", "3000000000", "1");
	struct sd_conn c;
	struct sd_log log;

	(void)state;
	log_init(&c, &log, sizeof(logbuf));
	assert_int_equal(sd_parse_log(a, sizeof(a) - 1, &c, 0, &log), SD_OK);
	assert_string_equal(log.buf, "tail\n");
	assert_true(log.end == 3000000000LL);
	assert_int_equal(log.overflow, 1);
}

/* No log file (yet): ['', 0, False]; the size probe: no bytes either. */
static void
test_log_tail_empty(void **state)
{
	static const char a[] = LOG_ANSWER("", "0", "0");
	struct sd_conn c;
	struct sd_log log;

	(void)state;
	log_init(&c, &log, sizeof(logbuf));
	strcpy(logbuf, "stale");
	assert_int_equal(sd_parse_log(a, sizeof(a) - 1, &c, 0, &log), SD_OK);
	assert_int_equal(log.len, 0);
	assert_string_equal(log.buf, "");
	assert_int_equal(log.end, 0);
}

/* More than the text buffer of a member (4096) and than the lists of
 * reloadConfig's answer (1024): all of it, byte for byte. */
static void
test_log_tail_long(void **state)
{
	static char a[40000], bytes[20001];
	struct sd_conn c;
	struct sd_log log;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bytes) - 1; i++)
		bytes[i] = i % 100 == 99 ? '\n' : (char)('a' + i % 26);
	bytes[sizeof(bytes) - 1] = '\0';
	snprintf(a, sizeof(a), LOG_ANSWER("%s", "20000", "1"), bytes);
	log_init(&c, &log, sizeof(logbuf));
	assert_int_equal(sd_parse_log(a, strlen(a), &c, 0, &log), SD_OK);
	assert_int_equal(log.len, 20000);
	assert_memory_equal(log.buf, bytes, 20000);
	assert_int_equal(log.cut, 0);
}

static void
test_log_cut(void **state)
{
	static const char a[] = LOG_ANSWER("0123456789", "10", "0");
	struct sd_conn c;
	struct sd_log log;

	(void)state;
	log_init(&c, &log, 5);
	assert_int_equal(sd_parse_log(a, sizeof(a) - 1, &c, 0, &log), SD_OK);
	assert_string_equal(log.buf, "0123");
	assert_int_equal(log.cut, 1);
	assert_int_equal(log.end, 10);
}

static void
test_log_read(void **state)
{
	static const char a[] = HEAD "<?xml version='1.0'?>\n"
	    "<methodResponse>\n<params>\n<param>\n<value><string>line 3\n"
	    "line 4\n</string></value>\n</param>\n</params>\n"
	    "</methodResponse>\n";
	static const char none[] = HEAD "<?xml version='1.0'?>\n"
	    "<methodResponse>\n<params>\n<param>\n<value><string></string>"
	    "</value>\n</param>\n</params>\n</methodResponse>\n";
	struct sd_conn c;
	struct sd_log log;

	(void)state;
	log_init(&c, &log, sizeof(logbuf));
	assert_int_equal(sd_parse_log(a, sizeof(a) - 1, &c, 1, &log), SD_OK);
	assert_string_equal(log.buf, "line 3\nline 4\n");
	assert_int_equal(log.end, -1);	/* a read says nothing of it */
	assert_int_equal(sd_parse_log(none, sizeof(none) - 1, &c, 1, &log),
	    SD_OK);
	assert_int_equal(log.len, 0);
}

/* Another method's answer, a fault, an HTTP error, XML that cannot be. */
static void
test_log_not_that(void **state)
{
	static const char scalar[] = HEAD "<methodResponse><params><param>"
	    "<value><int>5</int></value></param></params></methodResponse>";
	static const char two[] = HEAD "<methodResponse><params><param>"
	    "<value><array><data><value><string>x</string></value>"
	    "<value><int>1</int></value></data></array></value></param>"
	    "</params></methodResponse>";
	static const char fault[] = HEAD "<?xml version='1.0'?>\n"
	    "<methodResponse>\n<fault>\n<value><struct>\n<member>\n"
	    "<name>faultCode</name>\n<value><int>10</int></value>\n"
	    "</member>\n<member>\n<name>faultString</name>\n"
	    "<value><string>BAD_NAME: nope</string></value>\n</member>\n"
	    "</struct></value>\n</fault>\n</methodResponse>\n";
	static const char err500[] = "HTTP/1.0 500 Internal Server Error\r\n"
	    "Content-Type: text/html\r\n\r\n<html>error</html>";
	struct sd_conn c;
	struct sd_log log;

	(void)state;
	log_init(&c, &log, sizeof(logbuf));
	assert_int_equal(sd_parse_log(scalar, sizeof(scalar) - 1, &c, 0,
	    &log), SD_PROTOCOL);
	assert_int_equal(sd_parse_log(scalar, sizeof(scalar) - 1, &c, 1,
	    &log), SD_PROTOCOL);
	assert_int_equal(sd_parse_log(two, sizeof(two) - 1, &c, 0, &log),
	    SD_PROTOCOL);
	assert_int_equal(sd_parse_log(fault, sizeof(fault) - 1, &c, 0, &log),
	    SD_FAULT);
	assert_int_equal(c.fault_code, 10);
	assert_string_equal(c.fault_string, "BAD_NAME: nope");
	assert_int_equal(sd_parse_log(err500, sizeof(err500) - 1, &c, 0,
	    &log), SD_PROTOCOL);
}

/* supervisord sends an ESC, a CR as they are (no XML parser takes the
 * first; XML makes the second a LF): both come out as they went in. */
static void
test_log_controls(void **state)
{
	static const char a[] = LOG_ANSWER("\x1b[31mred\x1b[0m\r\n"
	    "tab\there\x01\x1f\n", "99", "0");
	static const char esc_read[] = HEAD "<methodResponse><params><param>"
	    "<value><string>\x1b!\r</string></value></param></params>"
	    "</methodResponse>";
	struct sd_conn c;
	struct sd_log log;

	(void)state;
	log_init(&c, &log, sizeof(logbuf));
	assert_int_equal(sd_parse_log(a, sizeof(a) - 1, &c, 0, &log), SD_OK);
	assert_string_equal(log.buf, "\x1b[31mred\x1b[0m\r\ntab\there"
	    "\x01\x1f\n");
	assert_int_equal(log.end, 99);
	assert_int_equal(sd_parse_log(esc_read, sizeof(esc_read) - 1, &c, 1,
	    &log), SD_OK);
	assert_string_equal(log.buf, "\x1b!\r");
	/* The other answers are not touched: still refused there. */
	assert_int_equal(sd_parse_response(esc_read, sizeof(esc_read) - 1,
	    &c, NULL, 0, NULL), SD_PROTOCOL);
}

static void
test_log_lines_start(void **state)
{
	static const char t[] = "one\ntwo\nthree\n";
	static const char open_end[] = "one\ntwo\nthr";

	(void)state;
	assert_int_equal(sd_log_lines_start(t, 14, 1), 8);
	assert_int_equal(sd_log_lines_start(t, 14, 2), 4);
	assert_int_equal(sd_log_lines_start(t, 14, 3), 0);
	assert_int_equal(sd_log_lines_start(t, 14, 10), 0);
	assert_int_equal(sd_log_lines_start(t, 14, 0), 14);
	assert_int_equal(sd_log_lines_start(open_end, 11, 1), 8);
	assert_int_equal(sd_log_lines_start(open_end, 11, 2), 4);
	assert_int_equal(sd_log_lines_start("\n\n", 2, 1), 1);
	assert_int_equal(sd_log_lines_start("", 0, 3), 0);
}

/* getProcessInfo's stdout_logfile: "" when supervisord keeps none. */
static void
test_process_logfiles(void **state)
{
	static const char a[] = HEAD "<methodResponse><params><param><value>"
	    "<struct><member><name>name</name><value><string>w</string>"
	    "</value></member><member><name>stdout_logfile</name><value>"
	    "<string></string></value></member><member><name>"
	    "stderr_logfile</name><value><string>/tmp/w.err</string></value>"
	    "</member></struct></value></param></params></methodResponse>";
	struct sd_conn c;
	struct sd_proc p;
	size_t n = 0;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(sd_parse_response(a, sizeof(a) - 1, &c, &p, 1, &n),
	    SD_OK);
	assert_int_equal(p.stdout_log, 0);
	assert_int_equal(p.stderr_log, 1);
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
		cmocka_unit_test(test_log_tail),
		cmocka_unit_test(test_log_tail_overflow),
		cmocka_unit_test(test_log_tail_empty),
		cmocka_unit_test(test_log_tail_long),
		cmocka_unit_test(test_log_cut),
		cmocka_unit_test(test_log_read),
		cmocka_unit_test(test_log_not_that),
		cmocka_unit_test(test_log_controls),
		cmocka_unit_test(test_log_lines_start),
		cmocka_unit_test(test_process_logfiles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
