/*
 * supervisord's XML-RPC, as supervisorctl speaks it: one HTTP/1.0 POST to
 * /RPC2 on the UNIX socket of [unix_http_server], one methodResponse back.
 * The XML is read with expat (the issue asks for a well-kept parser, not
 * hand parsing); only what svx shows is kept, in fixed records.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../adapter.h"
#include "../files/svfiles.h"
#include "sdconf.h"
#include "supervisord.h"

#define REQUEST_MAX	2048
#define RESPONSE_MAX	(2048 * 1024)	/* ~800 programs' configuration */
#define DEPTH_MAX	32
#define TEXT_MAX	4096	/* a command line */
#define DEFAULT_TIMEOUT_MS 5000

/* The usual socket paths when no configuration names one. */
static const char *const socket_paths[] = {
	"/run/supervisor.sock", "/var/run/supervisor.sock",
	"/tmp/supervisor.sock", NULL,
};

/* ---- finding the socket -------------------------------------------- */

/* file= of [unix_http_server]; one with %(here)s is not guessed. */
int
sd_config_socket(const char *conf, char *out, size_t len)
{
	return sdconf_value(conf, "unix_http_server", "file", out, len) == 1 &&
	    out[0] != '\0' && strchr(out, '%') == NULL ? 0 : -1;
}

/* PATH as C's socket; a path cut short would name another one. */
static int
fits(struct sd_conn *c, const char *path)
{
	if (strlcpy(c->socket, path, sizeof(c->socket)) < sizeof(c->socket))
		return 0;
	c->socket[0] = '\0';
	return -1;
}

int
sd_find_socket(struct sd_conn *c)
{
	static char conf[16384];
	const char *env = getenv("SVX_SUPERVISORD_SOCKET");
	struct stat sb;
	size_t i;

	c->timeout_ms = DEFAULT_TIMEOUT_MS;
	if (env != NULL && env[0] != '\0')
		return fits(c, env);
	for (i = 0; sdconf_search_paths[i] != NULL; i++)
		if (read_small(AT_FDCWD, sdconf_search_paths[i], 0, conf,
		    sizeof(conf)) >= 0 &&
		    sd_config_socket(conf, c->socket, sizeof(c->socket)) == 0)
			return 0;
	for (i = 0; socket_paths[i] != NULL; i++)
		if (stat(socket_paths[i], &sb) == 0 && S_ISSOCK(sb.st_mode))
			return fits(c, socket_paths[i]);
	strlcpy(c->socket, socket_paths[0], sizeof(c->socket));
	return 0;
}

/* ---- the request ----------------------------------------------------- */

/* S with &, < and > as XML wants them. */
static int
put_escaped(char *buf, size_t len, size_t *at, const char *s)
{
	const char *rep;
	size_t n;

	for (; *s != '\0'; s++) {
		rep = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ?
		    "&gt;" : NULL;
		n = rep != NULL ? strlen(rep) : 1;
		if (*at + n >= len)
			return -1;
		memcpy(buf + *at, rep != NULL ? rep : s, n);
		*at += n;
	}
	buf[*at] = '\0';
	return 0;
}

/*
 * METHOD(ARGS...): ARGS are strings, except "\x01false", a boolean
 * (startProcess and stopProcess are asked not to wait: svx waits itself),
 * and "\x02" then digits, an int (a log's offset and length).
 */
static int
method_call(char *buf, size_t len, const char *method, const char *const *args,
    size_t nargs)
{
	size_t at = 0, i;
	int bad = 0;

	bad |= buf_append(buf, len, &at, "<?xml version=\"1.0\"?><methodCall>"
	    "<methodName>");
	bad |= put_escaped(buf, len, &at, method);
	bad |= buf_append(buf, len, &at, "</methodName><params>");
	for (i = 0; i < nargs; i++) {
		if (strcmp(args[i], "\x01" "false") == 0) {
			bad |= buf_append(buf, len, &at, "<param><value><boolean>0"
			    "</boolean></value></param>");
			continue;
		}
		if (args[i][0] == '\x02') {
			bad |= buf_append(buf, len, &at, "<param><value><int>");
			bad |= put_escaped(buf, len, &at, args[i] + 1);
			bad |= buf_append(buf, len, &at, "</int></value></param>");
			continue;
		}
		bad |= buf_append(buf, len, &at, "<param><value><string>");
		bad |= put_escaped(buf, len, &at, args[i]);
		bad |= buf_append(buf, len, &at, "</string></value></param>");
	}
	bad |= buf_append(buf, len, &at, "</params></methodCall>");
	return bad ? -1 : (int)at;
}

/* ---- the exchange ---------------------------------------------------- */

/*
 * The end of a call's time: the command's bound (-w covers the whole
 * command, its calls included), else DEFAULT_TIMEOUT_MS (or
 * c->timeout_ms) from now.
 */
static int64_t
call_deadline(const struct sd_conn *c)
{
	if (c->deadline_ms > 0)
		return c->deadline_ms;
	return monotonic_ms() + (c->timeout_ms > 0 ? c->timeout_ms :
	    DEFAULT_TIMEOUT_MS);
}

#define CONNECT_RETRY_MS	10

/*
 * A UNIX socket whose listener accepts nothing fills its backlog, and a
 * blocking connect() then waits forever: connect without blocking, and
 * try again (a full backlog has no event to poll for) until DEADLINE.
 */
static enum sd_result
connect_retry(int fd, const struct sockaddr_un *sa, int64_t deadline)
{
	const struct timespec pause = { 0, CONNECT_RETRY_MS * 1000000L };
	struct pollfd pfd = { fd, POLLOUT, 0 };
	socklen_t len = sizeof(int);
	int64_t left;
	int err;

	for (;;) {
		if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0)
			return SD_OK;
		err = errno;
		if (err == EISCONN)
			return SD_OK;
		if (err == EINPROGRESS) {
			if ((left = deadline - monotonic_ms()) <= 0 ||
			    poll(&pfd, 1, (int)left) <= 0)
				return SD_TIMEOUT;
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) ==
			    -1 || err == 0)
				return SD_OK;
		}
		if (err != EAGAIN && err != EINTR && err != EINPROGRESS)
			break;
		if (err == EAGAIN && monotonic_ms() >= deadline)
			return SD_TIMEOUT;
		if (err == EAGAIN)
			nanosleep(&pause, NULL);
	}
	return err == ENOENT || err == ENOTDIR ? SD_NO_SOCKET :
	    err == EACCES || err == EPERM ? SD_DENIED : SD_NOT_LISTENING;
}

static enum sd_result
connect_socket(const struct sd_conn *c, int *fdp, int64_t deadline)
{
	struct sockaddr_un sa;
	enum sd_result r;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlcpy(sa.sun_path, c->socket, sizeof(sa.sun_path)) >=
	    sizeof(sa.sun_path))
		return SD_NO_SOCKET;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1)
		return SD_PROTOCOL;
	if ((r = connect_retry(fd, &sa, deadline)) != SD_OK) {
		close(fd);
		return r;
	}
	*fdp = fd;
	return SD_OK;
}

/* All of BUF out, and the answer in, until the server closes: bounded. */
static enum sd_result
exchange(int fd, const char *req, size_t reqlen, char *resp, size_t len,
    size_t *got, int64_t deadline)
{
	int64_t left;
	struct pollfd pfd = { fd, POLLOUT, 0 };
	ssize_t r;
	size_t sent = 0;

	*got = 0;
	while (sent < reqlen) {
		if ((left = deadline - monotonic_ms()) <= 0 ||
		    poll(&pfd, 1, (int)left) <= 0)
			return SD_TIMEOUT;
		r = send(fd, req + sent, reqlen - sent, MSG_NOSIGNAL);
		if (r == -1 && errno != EINTR && errno != EAGAIN)
			return SD_NOT_LISTENING;
		if (r > 0)
			sent += (size_t)r;
	}
	pfd.events = POLLIN;
	for (;;) {
		if ((left = deadline - monotonic_ms()) <= 0 ||
		    poll(&pfd, 1, (int)left) <= 0)
			return SD_TIMEOUT;
		r = read(fd, resp + *got, len - 1 - *got);
		if (r == 0)
			break;
		if (r == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return SD_PROTOCOL;
		}
		*got += (size_t)r;
		if (*got >= len - 1)
			return SD_PROTOCOL;	/* more than svx keeps */
	}
	resp[*got] = '\0';
	return SD_OK;
}

static enum sd_result parse_body(const char *, size_t, struct sd_conn *,
    struct sd_sink *, struct sd_log *, int);

/* METHOD(ARGS): its answer into SINK's records, or into LOG (READ: a
 * bare string, readProcessStdoutLog's) when LOG is not NULL. */
static enum sd_result
call_log(struct sd_conn *c, const char *method, const char *const *args,
    size_t nargs, struct sd_sink *sink, struct sd_log *log, int read)
{
	static char resp[RESPONSE_MAX];
	char body[REQUEST_MAX], req[REQUEST_MAX + 256];
	enum sd_result r;
	int64_t deadline;
	size_t got;
	int blen, rlen, fd;

	if ((blen = method_call(body, sizeof(body), method, args, nargs)) < 0)
		return SD_PROTOCOL;
	rlen = snprintf(req, sizeof(req), "POST /RPC2 HTTP/1.0\r\nHost: "
	    "localhost\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n"
	    "\r\n%s", blen, body);
	if (rlen < 0 || (size_t)rlen >= sizeof(req))
		return SD_PROTOCOL;
	deadline = call_deadline(c);
	if ((r = connect_socket(c, &fd, deadline)) != SD_OK)
		return r;
	r = exchange(fd, req, (size_t)rlen, resp, sizeof(resp), &got,
	    deadline);
	close(fd);
	if (r != SD_OK)
		return r;
	return parse_body(resp, got, c, sink, log, read);
}

static enum sd_result
call(struct sd_conn *c, const char *method, const char *const *args,
    size_t nargs, struct sd_sink *sink)
{
	return call_log(c, method, args, nargs, sink, NULL, 0);
}

/* ---- the response ---------------------------------------------------- */

struct parse {
	struct sd_conn	*c;
	struct sd_sink	*sink;
	const char	*stack[DEPTH_MAX];
	int		 depth;
	char		 text[TEXT_MAX];
	size_t		 textlen;
	char		 key[32];
	int		 in_fault, typed, overflow, bad, cut;
	void		*cur;
	/* A log's answer: its bytes go to LOG, not TEXT. ITEM: which of
	 * tailProcessStdoutLog's [bytes, offset, overflow] is being read
	 * (1..3, 0 none); ITEMS: how many were met. */
	struct sd_log	*log;
	int		 log_read, item, items, in_bytes;
};

/* The element names svx tells apart; the rest are "?" on the stack. */
static const char *const known[] = {
	"fault", "struct", "member", "name", "value", "param", "array",
	"data", NULL,
};

static const char *
parent(const struct parse *p, int up)
{
	return p->depth - up >= 1 ? p->stack[p->depth - up - 1] : "";
}

static const char *
known_name(const char *name)
{
	size_t i;

	for (i = 0; known[i] != NULL; i++)
		if (strcmp(name, known[i]) == 0)
			return known[i];
	return "?";
}

static long long
number(const char *s)
{
	return strtoll(s, NULL, 10);
}

/* One member of the current struct: the fault's, or a record's. */
static void
store_member(struct parse *p)
{
	if (p->in_fault) {
		if (strcmp(p->key, "faultCode") == 0)
			p->c->fault_code = (int)number(p->text);
		else if (strcmp(p->key, "faultString") == 0)
			strlcpy(p->c->fault_string, p->text,
			    sizeof(p->c->fault_string));
		return;
	}
	if (p->cur != NULL)
		p->sink->store(p->cur, p->key, p->text, p->cut);
}

static void
begin_record(struct parse *p)
{
	struct sd_sink *s = p->sink;

	if (s == NULL || s->max == 0) {
		p->cur = NULL;
		return;
	}
	if (s->n < s->max) {
		/* Tentative: kept at its end unless the sink's filter says
		 * no, and the next record reuses the slot. */
		p->cur = (char *)s->recs + s->n * s->size;
		s->init(p->cur);
	} else {
		p->cur = NULL;
		/* Full: with a filter, the records wanted are in already. */
		if (s->keep == NULL)
			p->overflow = 1;
	}
}

static void
end_record(struct parse *p)
{
	struct sd_sink *s = p->sink;

	if (p->cur != NULL && (s->keep == NULL || s->keep(p->cur, s->arg)))
		s->n++;
	p->cur = NULL;
}

/*
 * An array in an array (reloadConfig's [[added], [changed], [removed]]):
 * each inner one starts a line of c->lists, its strings on it.
 */
static int
nested_array(const struct parse *p)
{
	int i;

	for (i = 1; i < p->depth; i++)
		if (strcmp(p->stack[p->depth - 1 - i], "array") == 0)
			return 1;
	return 0;
}

static void
list_add(struct parse *p, const char *s)
{
	size_t n = strlen(p->c->lists), add = strlen(s);

	if (n + add + 1 >= sizeof(p->c->lists))
		p->bad = 1;
	else
		memcpy(p->c->lists + n, s, add + 1);
}

/* A log answer's element starts: the top-level array's items, and the
 * string that holds the bytes. */
static void
log_start(struct parse *p, const char *name)
{
	if (strcmp(name, "value") == 0 && !p->log_read &&
	    strcmp(parent(p, 1), "data") == 0 &&
	    strcmp(parent(p, 2), "array") == 0 &&
	    strcmp(parent(p, 3), "value") == 0 &&
	    strcmp(parent(p, 4), "param") == 0)
		p->item = ++p->items;
	else if (strcmp(name, "string") == 0 && ((p->log_read &&
	    strcmp(parent(p, 1), "value") == 0 &&
	    strcmp(parent(p, 2), "param") == 0 && ++p->items == 1) ||
	    (!p->log_read && p->item == 1)))
		p->in_bytes = 1;
}

/* A log answer's element ends: 1 when it was one of the log's. */
static int
log_end(struct parse *p, const char *name)
{
	if (p->in_bytes && strcmp(name, "string") == 0) {
		p->in_bytes = 0;
		return 1;
	}
	if (p->item == 0)
		return 0;
	if (strcmp(name, "value") == 0 && strcmp(parent(p, 0), "data") == 0)
		p->item = 0;
	else if (strcmp(parent(p, 0), "value") == 0 && p->item == 2)
		p->log->end = number(p->text);		/* <int> */
	else if (strcmp(parent(p, 0), "value") == 0 && p->item == 3)
		p->log->overflow = number(p->text) != 0;	/* <boolean> */
	return 1;
}

/*
 * supervisord escapes only &, < and > in a log's bytes: a control
 * character (a colour escape; a CR) reaches the XML as it is, where XML
 * refuses it (and turns a CR into a LF). So before a log's answer is
 * parsed each such byte B becomes U+E000 + B, a private-use character
 * (EE 80 80+B in UTF-8), and log_text turns it back
 * (PROTOCOLS.md#supervisord-logs).
 */
#define HIDE_LEAD0	0xee
#define HIDE_LEAD1	0x80
#define HIDE_BASE	0x80

static int
hidden_byte(unsigned char b)
{
	return b < 0x20 && b != '\t' && b != '\n';
}

/* IN[0..LEN) into OUT with each control byte hidden: its length, or -1
 * when SIZE is too small. */
static long
hide_controls(const char *in, size_t len, char *out, size_t size)
{
	size_t i, o = 0;
	unsigned char b;

	for (i = 0; i < len; i++) {
		if (o + 4 > size)
			return -1;
		b = (unsigned char)in[i];
		if (hidden_byte(b)) {
			out[o++] = (char)HIDE_LEAD0;
			out[o++] = (char)HIDE_LEAD1;
			out[o++] = (char)(HIDE_BASE + b);
		} else
			out[o++] = (char)b;
	}
	out[o] = '\0';
	return (long)o;
}

/* The log's bytes (hidden ones back), as many as its buffer holds; CUT
 * past that. expat never splits a character between two calls. */
static void
log_text(struct sd_log *log, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, step;
	char b;

	for (i = 0; i < n; i += step) {
		step = 1;
		b = s[i];
		if (i + 2 < n && u[i] == HIDE_LEAD0 && u[i + 1] == HIDE_LEAD1 &&
		    u[i + 2] >= HIDE_BASE && u[i + 2] < HIDE_BASE + 0x20) {
			b = (char)(u[i + 2] - HIDE_BASE);
			step = 3;
		}
		if (log->len + 1 >= log->size) {
			log->cut = 1;
			break;
		}
		log->buf[log->len++] = b;
	}
	log->buf[log->len] = '\0';
}

static void XMLCALL
on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	struct parse *p = ud;

	(void)attrs;
	if (p->depth >= DEPTH_MAX) {
		p->bad = 1;
		return;
	}
	p->stack[p->depth++] = known_name(name);
	p->textlen = 0;
	p->text[0] = '\0';
	p->cut = 0;
	if (strcmp(name, "fault") == 0)
		p->in_fault = 1;
	else if (strcmp(name, "value") == 0)
		p->typed = 0;
	else if (strcmp(name, "struct") == 0 && !p->in_fault)
		begin_record(p);
	else if (strcmp(name, "array") == 0 && nested_array(p))
		list_add(p, "\n");
	if (strcmp(name, "value") != 0 && strcmp(parent(p, 1), "value") == 0)
		p->typed = 1;
	if (p->log != NULL && !p->in_fault)
		log_start(p, name);
}

static void XMLCALL
on_end(void *ud, const XML_Char *name)
{
	struct parse *p = ud;

	if (p->depth == 0)
		return;
	p->depth--;
	if (p->log != NULL && log_end(p, name))
		return;
	if (strcmp(name, "name") == 0 && strcmp(parent(p, 0), "member") == 0)
		strlcpy(p->key, p->text, sizeof(p->key));
	else if (strcmp(parent(p, 0), "value") == 0 &&
	    strcmp(parent(p, 1), "member") == 0)
		store_member(p);	/* <value><int>5</int></value> */
	else if (strcmp(name, "value") == 0 && !p->typed &&
	    strcmp(parent(p, 0), "member") == 0)
		store_member(p);	/* <value>untyped string</value> */
	else if (strcmp(name, "struct") == 0 && !p->in_fault)
		end_record(p);
	else if (strcmp(parent(p, 0), "value") == 0 &&
	    strcmp(parent(p, 1), "param") == 0)
		p->c->result = number(p->text);	/* a scalar answer */
	else if (strcmp(name, "string") == 0 &&
	    strcmp(parent(p, 0), "value") == 0 &&
	    strcmp(parent(p, 1), "data") == 0 && nested_array(p)) {
		list_add(p, p->text);		/* a string of a list */
		list_add(p, " ");
	}
}

static void XMLCALL
on_text(void *ud, const XML_Char *s, int len)
{
	struct parse *p = ud;
	size_t n = (size_t)len;

	if (p->in_bytes) {
		log_text(p->log, s, n);
		return;
	}
	if (p->textlen + n >= sizeof(p->text)) {
		n = sizeof(p->text) - 1 - p->textlen;
		p->cut = 1;
	}
	memcpy(p->text + p->textlen, s, n);
	p->textlen += n;
	p->text[p->textlen] = '\0';
}

/* A log's answer with its control bytes hidden: a 256 KiB piece, each
 * byte escaped (&amp;, 5 bytes) or hidden (3), fits. */
static char hidden_body[RESPONSE_MAX];

static enum sd_result
parse_body(const char *http, size_t len, struct sd_conn *c,
    struct sd_sink *sink, struct sd_log *log, int read)
{
	struct parse p;
	const char *body;
	XML_Parser xp;
	long blen;
	int ok;

	if (len < 12 || strncmp(http, "HTTP/1.", 7) != 0)
		return SD_PROTOCOL;
	if (strncmp(http + 8, " 200", 4) != 0)
		return strncmp(http + 8, " 401", 4) == 0 ? SD_DENIED :
		    SD_PROTOCOL;
	if ((body = strstr(http, "\r\n\r\n")) == NULL)
		return SD_PROTOCOL;
	body += 4;
	blen = (long)(len - (size_t)(body - http));
	if (log != NULL && (blen = hide_controls(body, (size_t)blen,
	    hidden_body, sizeof(hidden_body))) == -1)
		return SD_PROTOCOL;
	if (log != NULL)
		body = hidden_body;
	memset(&p, 0, sizeof(p));
	p.c = c;
	p.sink = sink;
	p.log = log;
	p.log_read = read;
	if (sink != NULL)
		sink->n = 0;
	if (log != NULL) {
		log->len = 0;
		log->buf[0] = '\0';
		log->cut = log->overflow = 0;
	}
	c->fault_code = 0;
	c->fault_string[0] = '\0';
	c->result = 0;
	c->lists[0] = '\0';
	if ((xp = XML_ParserCreate(NULL)) == NULL)
		return SD_PROTOCOL;
	XML_SetUserData(xp, &p);
	XML_SetElementHandler(xp, on_start, on_end);
	XML_SetCharacterDataHandler(xp, on_text);
	ok = XML_Parse(xp, body, (int)blen, 1) == XML_STATUS_OK;
	XML_ParserFree(xp);
	if (!ok || p.bad)
		return SD_PROTOCOL;
	if (p.in_fault)
		return SD_FAULT;
	if (log != NULL && p.items != (read ? 1 : 3))
		return SD_PROTOCOL;	/* not the answer of that method */
	return p.overflow ? SD_PROTOCOL : SD_OK;
}

enum sd_result
sd_parse_into(const char *http, size_t len, struct sd_conn *c,
    struct sd_sink *sink)
{
	return parse_body(http, len, c, sink, NULL, 0);
}

enum sd_result
sd_parse_log(const char *http, size_t len, struct sd_conn *c, int read,
    struct sd_log *log)
{
	return parse_body(http, len, c, NULL, log, read);
}

/* ---- the records --------------------------------------------------------- */

static void
proc_init(void *rec)
{
	struct sd_proc *r = rec;

	memset(r, 0, sizeof(*r));
	r->state = SD_UNKNOWN;
}

static void
proc_store(void *rec, const char *key, const char *v, int cut)
{
	struct sd_proc *r = rec;

	(void)cut;
	if (strcmp(key, "name") == 0)
		strlcpy(r->name, v, sizeof(r->name));
	else if (strcmp(key, "group") == 0)
		strlcpy(r->group, v, sizeof(r->group));
	else if (strcmp(key, "statename") == 0)
		strlcpy(r->statename, v, sizeof(r->statename));
	else if (strcmp(key, "spawnerr") == 0)
		strlcpy(r->spawnerr, v, sizeof(r->spawnerr));
	else if (strcmp(key, "state") == 0)
		r->state = (int)number(v);
	else if (strcmp(key, "pid") == 0)
		r->pid = (pid_t)number(v);
	else if (strcmp(key, "start") == 0)
		r->start = number(v);
	else if (strcmp(key, "stop") == 0)
		r->stop = number(v);
	else if (strcmp(key, "now") == 0)
		r->now = number(v);
	else if (strcmp(key, "exitstatus") == 0)
		r->exitstatus = (int)number(v);
	else if (strcmp(key, "stdout_logfile") == 0)
		r->stdout_log = v[0] != '\0';
	else if (strcmp(key, "stderr_logfile") == 0)
		r->stderr_log = v[0] != '\0';
}

enum sd_result
sd_parse_response(const char *http, size_t len, struct sd_conn *c,
    struct sd_proc *procs, size_t max, size_t *n)
{
	struct sd_sink sink = { procs, sizeof(*procs), procs != NULL ? max :
	    0, 0, proc_init, proc_store, NULL, NULL };
	enum sd_result r = sd_parse_into(http, len, c, &sink);

	if (n != NULL)
		*n = sink.n;
	return r;
}

/* getAllConfigInfo's members, by name: text, or a number. */
#define PROG_TEXT(f)	{ #f, offsetof(struct sd_program, f), \
	sizeof(((struct sd_program *)0)->f), 1 }
#define PROG_NUM(f)	{ #f, offsetof(struct sd_program, f), 0, 0 }

static const struct {
	const char	*key;
	size_t		 off, len;
	int		 text;
} program_members[] = {
	PROG_TEXT(name), PROG_TEXT(group), PROG_TEXT(command),
	PROG_TEXT(directory), PROG_TEXT(stdout_logfile),
	PROG_TEXT(stderr_logfile), PROG_NUM(uid), PROG_NUM(autostart),
	PROG_NUM(redirect_stderr), PROG_NUM(stdout_syslog),
	PROG_NUM(stderr_syslog), PROG_NUM(stopsignal), PROG_NUM(stopwaitsecs),
	PROG_NUM(startsecs), PROG_NUM(startretries), PROG_NUM(killasgroup),
	PROG_NUM(stdout_logfile_maxbytes), PROG_NUM(stdout_logfile_backups),
	PROG_NUM(stderr_logfile_maxbytes), PROG_NUM(stderr_logfile_backups),
	PROG_NUM(inuse),
};

static void
program_init(void *rec)
{
	struct sd_program *r = rec;

	memset(r, 0, sizeof(*r));
	r->uid = -1;
}

static void
program_store(void *rec, const char *key, const char *v, int cut)
{
	struct sd_program *r = rec;
	size_t i;

	for (i = 0; i < sizeof(program_members) / sizeof(program_members[0]);
	    i++) {
		if (strcmp(key, program_members[i].key) != 0)
			continue;
		if (program_members[i].text) {
			if (cut || strlcpy((char *)r + program_members[i].off,
			    v, program_members[i].len) >= program_members[i].len)
				r->truncated = 1;
		} else
			/* supervisord sends "none" for an unset uid. */
			*(long long *)(void *)((char *)r +
			    program_members[i].off) = strcmp(v, "none") == 0 ?
			    -1 : number(v);
		return;
	}
}

/* The record of GROUP:NAME (the sink's argument, "group\0name"). */
static int
program_wanted(const void *rec, const void *arg)
{
	const struct sd_program *r = rec;
	const char *group = arg, *name = group + strlen(group) + 1;

	return strcmp(r->group, group) == 0 && strcmp(r->name, name) == 0;
}

/* ---- the methods ------------------------------------------------------ */

static enum sd_result
call_procs(struct sd_conn *c, const char *method, const char *const *args,
    size_t nargs, struct sd_proc *procs, size_t max, size_t *n)
{
	struct sd_sink sink = { procs, sizeof(*procs), max, 0, proc_init,
	    proc_store, NULL, NULL };
	enum sd_result r = call(c, method, args, nargs, &sink);

	*n = sink.n;
	return r;
}

enum sd_result
sd_process_info(struct sd_conn *c, const char *name, struct sd_proc *proc)
{
	const char *args[] = { name };
	size_t n = 0;
	enum sd_result r;

	r = call_procs(c, "supervisor.getProcessInfo", args, 1, proc, 1, &n);
	return r == SD_OK && n != 1 ? SD_PROTOCOL : r;
}

enum sd_result
sd_all_process_info(struct sd_conn *c, struct sd_proc *procs, size_t max,
    size_t *n)
{
	return call_procs(c, "supervisor.getAllProcessInfo", NULL, 0, procs,
	    max, n);
}

/* The sink for GROUP:NAME's record; KEY holds "group\0name". */
static int
program_sink(struct sd_sink *sink, struct sd_program *prog, char *key,
    size_t len, const char *group, const char *name)
{
	size_t g = strlen(group) + 1;

	if (g + strlen(name) + 1 > len)
		return -1;
	memcpy(key, group, g);
	strlcpy(key + g, name, len - g);
	memset(sink, 0, sizeof(*sink));
	sink->recs = prog;
	sink->size = sizeof(*prog);
	sink->max = 1;
	sink->init = program_init;
	sink->store = program_store;
	sink->keep = program_wanted;
	sink->arg = key;
	return 0;
}

/* None found: the fault getProcessInfo gives for a name it lacks. */
static enum sd_result
program_found(struct sd_conn *c, enum sd_result r, const struct sd_sink *s)
{
	if (r != SD_OK || s->n == 1)
		return r;
	c->fault_code = 10;
	strlcpy(c->fault_string, "BAD_NAME", sizeof(c->fault_string));
	return SD_FAULT;
}

enum sd_result
sd_parse_program(const char *http, size_t len, struct sd_conn *c,
    const char *group, const char *name, struct sd_program *prog)
{
	char key[2 * SD_NAME_MAX];
	struct sd_sink sink;

	if (program_sink(&sink, prog, key, sizeof(key), group, name) == -1)
		return SD_PROTOCOL;
	return program_found(c, sd_parse_into(http, len, c, &sink), &sink);
}

enum sd_result
sd_program_info(struct sd_conn *c, const char *group, const char *name,
    struct sd_program *prog)
{
	char key[2 * SD_NAME_MAX];
	struct sd_sink sink;

	if (program_sink(&sink, prog, key, sizeof(key), group, name) == -1)
		return SD_PROTOCOL;
	return program_found(c, call(c, "supervisor.getAllConfigInfo", NULL,
	    0, &sink), &sink);
}

enum sd_result
sd_pid(struct sd_conn *c, pid_t *pid)
{
	enum sd_result r = call(c, "supervisor.getPID", NULL, 0, NULL);

	*pid = (pid_t)c->result;
	return r == SD_OK && *pid <= 0 ? SD_PROTOCOL : r;
}

/* A method of one string argument whose answer is only "done". */
static enum sd_result
call_one(struct sd_conn *c, const char *method, const char *arg)
{
	const char *args[] = { arg };

	return call(c, method, args, arg != NULL ? 1 : 0, NULL);
}

enum sd_result
sd_remove_group(struct sd_conn *c, const char *group)
{
	return call_one(c, "supervisor.removeProcessGroup", group);
}

enum sd_result
sd_add_group(struct sd_conn *c, const char *group)
{
	return call_one(c, "supervisor.addProcessGroup", group);
}

enum sd_result
sd_reload_config(struct sd_conn *c)
{
	return call_one(c, "supervisor.reloadConfig", NULL);
}

enum sd_result
sd_start(struct sd_conn *c, const char *name)
{
	const char *args[] = { name, "\x01" "false" };

	return call(c, "supervisor.startProcess", args, 2, NULL);
}

enum sd_result
sd_stop(struct sd_conn *c, const char *name)
{
	const char *args[] = { name, "\x01" "false" };

	return call(c, "supervisor.stopProcess", args, 2, NULL);
}

enum sd_result
sd_signal(struct sd_conn *c, const char *name, const char *signame)
{
	const char *args[] = { name, signame };

	return call(c, "supervisor.signalProcess", args, 2, NULL);
}

/* ---- a program's log ------------------------------------------------- */

/* METHOD(NAME, OFFSET, LENGTH) into LOG. */
static enum sd_result
log_call(struct sd_conn *c, const char *method, const char *name,
    long long offset, long long length, struct sd_log *log, int read)
{
	char off[32], len[32];
	const char *args[] = { name, off, len };

	snprintf(off, sizeof(off), "\x02%lld", offset);
	snprintf(len, sizeof(len), "\x02%lld", length);
	return call_log(c, method, args, 3, NULL, log, read);
}

enum sd_result
sd_log_tail(struct sd_conn *c, const char *name, long long offset,
    long long length, struct sd_log *log)
{
	return log_call(c, "supervisor.tailProcessStdoutLog", name, offset,
	    length, log, 0);
}

enum sd_result
sd_log_read(struct sd_conn *c, const char *name, long long offset,
    long long length, struct sd_log *log)
{
	long long end = log->end;
	enum sd_result r;

	r = log_call(c, "supervisor.readProcessStdoutLog", name, offset,
	    length, log, 1);
	log->end = end;
	return r;
}

enum sd_result
sd_err_log_tail(struct sd_conn *c, const char *name, long long offset,
    long long length, struct sd_log *log)
{
	return log_call(c, "supervisor.tailProcessStderrLog", name, offset,
	    length, log, 0);
}

enum sd_result
sd_err_log_read(struct sd_conn *c, const char *name, long long offset,
    long long length, struct sd_log *log)
{
	long long end = log->end;
	enum sd_result r;

	r = log_call(c, "supervisor.readProcessStderrLog", name, offset,
	    length, log, 1);
	log->end = end;
	return r;
}

enum sd_result
sd_main_log_read(struct sd_conn *c, long long offset, long long length,
    struct sd_log *log)
{
	char off[32], len[32];
	const char *args[] = { off, len };
	long long end = log->end;
	enum sd_result r;

	snprintf(off, sizeof(off), "\x02%lld", offset);
	snprintf(len, sizeof(len), "\x02%lld", length);
	r = call_log(c, "supervisor.readLog", args, 2, NULL, log, 1);
	log->end = end;
	return r;
}

size_t
sd_log_lines_start(const char *buf, size_t len, long n)
{
	size_t i = len;

	if (n <= 0)
		return len;
	if (i > 0 && buf[i - 1] == '\n')
		i--;		/* the last line's own newline */
	while (i > 0) {
		if (buf[i - 1] == '\n' && --n == 0)
			return i;
		i--;
	}
	return 0;
}

/* ---- a program's name ------------------------------------------------ */

int
sd_proc_is(const struct sd_proc *p, const char *name)
{
	const char *colon = strchr(name, ':');
	size_t glen = colon != NULL ? (size_t)(colon - name) : strlen(name);

	/* supervisord reads NAME as NAME:NAME, and GROUP:NAME as said. */
	return strncmp(p->group, name, glen) == 0 && p->group[glen] == '\0' &&
	    strcmp(p->name, colon != NULL ? colon + 1 : name) == 0;
}
