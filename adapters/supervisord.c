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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "adapter.h"
#include "supervisord.h"
#include "svfiles.h"
#include "wait.h"

#define REQUEST_MAX	2048
#define RESPONSE_MAX	(512 * 1024)	/* 256 programs' info fits */
#define DEPTH_MAX	32
#define TEXT_MAX	512
#define DEFAULT_TIMEOUT_MS 5000

/* Where supervisord looks for its configuration, in its order. */
static const char *const config_paths[] = {
	"supervisord.conf", "etc/supervisord.conf", "/etc/supervisord.conf",
	"/etc/supervisor/supervisord.conf", NULL,
};

/* The usual socket paths when no configuration names one. */
static const char *const socket_paths[] = {
	"/run/supervisor.sock", "/var/run/supervisor.sock",
	"/tmp/supervisor.sock", NULL,
};

/* ---- finding the socket -------------------------------------------- */

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	for (e = s + strlen(s); e > s && (e[-1] == ' ' || e[-1] == '\t' ||
	    e[-1] == '\r'); e--)
		;
	*e = '\0';
	return s;
}

/* file= of [unix_http_server], ';' comments and %(here)s left out. */
int
sd_config_socket(const char *conf, char *out, size_t len)
{
	char line[512], *l, *eq;
	const char *p = conf, *end;
	int in_section = 0;
	size_t n;

	while (*p != '\0') {
		end = strchr(p, '\n');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		p = end != NULL ? end + 1 : p + strlen(p);
		if ((l = strchr(line, ';')) != NULL &&
		    (l == line || l[-1] == ' ' || l[-1] == '\t'))
			*l = '\0';
		l = trim(line);
		if (*l == '[') {
			in_section = strncmp(l, "[unix_http_server]", 18) == 0;
			continue;
		}
		if (!in_section || (eq = strchr(l, '=')) == NULL)
			continue;
		*eq = '\0';
		if (strcmp(trim(l), "file") != 0)
			continue;
		l = trim(eq + 1);
		if (*l == '\0' || strchr(l, '%') != NULL)
			return -1;
		return strlcpy(out, l, len) < len ? 0 : -1;
	}
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
		return strlcpy(c->socket, env, sizeof(c->socket)) <
		    sizeof(c->socket) ? 0 : -1;
	for (i = 0; config_paths[i] != NULL; i++)
		if (read_small(AT_FDCWD, config_paths[i], 0, conf,
		    sizeof(conf)) >= 0 &&
		    sd_config_socket(conf, c->socket, sizeof(c->socket)) == 0)
			return 0;
	for (i = 0; socket_paths[i] != NULL; i++)
		if (stat(socket_paths[i], &sb) == 0 && S_ISSOCK(sb.st_mode))
			return strlcpy(c->socket, socket_paths[i],
			    sizeof(c->socket)) < sizeof(c->socket) ? 0 : -1;
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
 * (startProcess and stopProcess are asked not to wait: svx waits itself).
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
		bad |= buf_append(buf, len, &at, "<param><value><string>");
		bad |= put_escaped(buf, len, &at, args[i]);
		bad |= buf_append(buf, len, &at, "</string></value></param>");
	}
	bad |= buf_append(buf, len, &at, "</params></methodCall>");
	return bad ? -1 : (int)at;
}

/* ---- the exchange ---------------------------------------------------- */

static enum sd_result
connect_socket(const struct sd_conn *c, int *fdp)
{
	struct sockaddr_un sa;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlcpy(sa.sun_path, c->socket, sizeof(sa.sun_path)) >=
	    sizeof(sa.sun_path))
		return SD_NO_SOCKET;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return SD_PROTOCOL;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		int e = errno;

		close(fd);
		return e == ENOENT || e == ENOTDIR ? SD_NO_SOCKET :
		    e == EACCES || e == EPERM ? SD_DENIED : SD_NOT_LISTENING;
	}
	*fdp = fd;
	return SD_OK;
}

/* All of BUF out, and the answer in, until the server closes: bounded. */
static enum sd_result
exchange(int fd, const char *req, size_t reqlen, char *resp, size_t len,
    size_t *got, int timeout_ms)
{
	int64_t deadline = monotonic_ms() + timeout_ms, left;
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

static enum sd_result
call(struct sd_conn *c, const char *method, const char *const *args,
    size_t nargs, struct sd_proc *procs, size_t max, size_t *n)
{
	static char resp[RESPONSE_MAX];
	char body[REQUEST_MAX], req[REQUEST_MAX + 256];
	enum sd_result r;
	size_t got;
	int blen, rlen, fd;

	if ((blen = method_call(body, sizeof(body), method, args, nargs)) < 0)
		return SD_PROTOCOL;
	rlen = snprintf(req, sizeof(req), "POST /RPC2 HTTP/1.0\r\nHost: "
	    "localhost\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n"
	    "\r\n%s", blen, body);
	if (rlen < 0 || (size_t)rlen >= sizeof(req))
		return SD_PROTOCOL;
	if ((r = connect_socket(c, &fd)) != SD_OK)
		return r;
	r = exchange(fd, req, (size_t)rlen, resp, sizeof(resp), &got,
	    c->timeout_ms > 0 ? c->timeout_ms : DEFAULT_TIMEOUT_MS);
	close(fd);
	if (r != SD_OK)
		return r;
	return sd_parse_response(resp, got, c, procs, max, n);
}

/* ---- the response ---------------------------------------------------- */

struct parse {
	struct sd_conn	*c;
	struct sd_proc	*procs;
	size_t		 max, n;
	const char	*stack[DEPTH_MAX];
	int		 depth;
	char		 text[TEXT_MAX];
	size_t		 textlen;
	char		 key[32];
	int		 in_fault, typed, overflow, bad;
	struct sd_proc	*cur;
};

static const char *
parent(const struct parse *p, int up)
{
	return p->depth - up >= 1 ? p->stack[p->depth - up - 1] : "";
}

static void
store_string(char *dst, size_t len, const char *s)
{
	strlcpy(dst, s, len);
}

static long long
number(const char *s)
{
	return strtoll(s, NULL, 10);
}

/* One member of a process's struct, or of the fault's. */
static void
store_member(struct parse *p)
{
	struct sd_proc *r = p->cur;
	const char *v = p->text;

	if (p->in_fault) {
		if (strcmp(p->key, "faultCode") == 0)
			p->c->fault_code = (int)number(v);
		else if (strcmp(p->key, "faultString") == 0)
			store_string(p->c->fault_string,
			    sizeof(p->c->fault_string), v);
		return;
	}
	if (r == NULL)
		return;
	if (strcmp(p->key, "name") == 0)
		store_string(r->name, sizeof(r->name), v);
	else if (strcmp(p->key, "group") == 0)
		store_string(r->group, sizeof(r->group), v);
	else if (strcmp(p->key, "statename") == 0)
		store_string(r->statename, sizeof(r->statename), v);
	else if (strcmp(p->key, "spawnerr") == 0)
		store_string(r->spawnerr, sizeof(r->spawnerr), v);
	else if (strcmp(p->key, "state") == 0)
		r->state = (int)number(v);
	else if (strcmp(p->key, "pid") == 0)
		r->pid = (pid_t)number(v);
	else if (strcmp(p->key, "start") == 0)
		r->start = number(v);
	else if (strcmp(p->key, "stop") == 0)
		r->stop = number(v);
	else if (strcmp(p->key, "now") == 0)
		r->now = number(v);
	else if (strcmp(p->key, "exitstatus") == 0)
		r->exitstatus = (int)number(v);
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
	/* Only names svx knows are kept; others stay "?" on the stack. */
	p->stack[p->depth++] = strcmp(name, "fault") == 0 ? "fault" :
	    strcmp(name, "struct") == 0 ? "struct" :
	    strcmp(name, "member") == 0 ? "member" :
	    strcmp(name, "name") == 0 ? "name" :
	    strcmp(name, "value") == 0 ? "value" : "?";
	p->textlen = 0;
	p->text[0] = '\0';
	if (strcmp(name, "fault") == 0)
		p->in_fault = 1;
	else if (strcmp(name, "value") == 0)
		p->typed = 0;
	else if (strcmp(name, "struct") == 0 && !p->in_fault) {
		if (p->n < p->max) {
			p->cur = &p->procs[p->n++];
			memset(p->cur, 0, sizeof(*p->cur));
			p->cur->state = SD_UNKNOWN;
		} else {
			p->cur = NULL;
			p->overflow = 1;
		}
	} else if (strcmp(parent(p, 1), "value") == 0)
		p->typed = 1;
}

static void XMLCALL
on_end(void *ud, const XML_Char *name)
{
	struct parse *p = ud;

	if (p->depth == 0)
		return;
	p->depth--;
	if (strcmp(name, "name") == 0 && strcmp(parent(p, 0), "member") == 0)
		store_string(p->key, sizeof(p->key), p->text);
	else if (strcmp(parent(p, 0), "value") == 0 &&
	    strcmp(parent(p, 1), "member") == 0)
		store_member(p);	/* <value><int>5</int></value> */
	else if (strcmp(name, "value") == 0 && !p->typed &&
	    strcmp(parent(p, 0), "member") == 0)
		store_member(p);	/* <value>untyped string</value> */
	else if (strcmp(name, "struct") == 0)
		p->cur = NULL;
}

static void XMLCALL
on_text(void *ud, const XML_Char *s, int len)
{
	struct parse *p = ud;
	size_t n = (size_t)len;

	if (p->textlen + n >= sizeof(p->text))
		n = sizeof(p->text) - 1 - p->textlen;
	memcpy(p->text + p->textlen, s, n);
	p->textlen += n;
	p->text[p->textlen] = '\0';
}

enum sd_result
sd_parse_response(const char *http, size_t len, struct sd_conn *c,
    struct sd_proc *procs, size_t max, size_t *n)
{
	struct parse p;
	const char *body;
	XML_Parser xp;
	int ok;

	if (len < 12 || strncmp(http, "HTTP/1.", 7) != 0)
		return SD_PROTOCOL;
	if (strncmp(http + 8, " 200", 4) != 0)
		return strncmp(http + 8, " 401", 4) == 0 ? SD_DENIED :
		    SD_PROTOCOL;
	if ((body = strstr(http, "\r\n\r\n")) == NULL)
		return SD_PROTOCOL;
	body += 4;
	memset(&p, 0, sizeof(p));
	p.c = c;
	p.procs = procs;
	p.max = procs != NULL ? max : 0;
	c->fault_code = 0;
	c->fault_string[0] = '\0';
	if ((xp = XML_ParserCreate(NULL)) == NULL)
		return SD_PROTOCOL;
	XML_SetUserData(xp, &p);
	XML_SetElementHandler(xp, on_start, on_end);
	XML_SetCharacterDataHandler(xp, on_text);
	ok = XML_Parse(xp, body, (int)(len - (size_t)(body - http)), 1) ==
	    XML_STATUS_OK;
	XML_ParserFree(xp);
	if (n != NULL)
		*n = p.n;
	if (!ok || p.bad)
		return SD_PROTOCOL;
	if (p.in_fault)
		return SD_FAULT;
	return p.overflow ? SD_PROTOCOL : SD_OK;
}

/* ---- the methods ------------------------------------------------------ */

enum sd_result
sd_process_info(struct sd_conn *c, const char *name, struct sd_proc *proc)
{
	const char *args[] = { name };
	size_t n = 0;
	enum sd_result r;

	r = call(c, "supervisor.getProcessInfo", args, 1, proc, 1, &n);
	return r == SD_OK && n != 1 ? SD_PROTOCOL : r;
}

enum sd_result
sd_all_process_info(struct sd_conn *c, struct sd_proc *procs, size_t max,
    size_t *n)
{
	return call(c, "supervisor.getAllProcessInfo", NULL, 0, procs, max, n);
}

enum sd_result
sd_start(struct sd_conn *c, const char *name)
{
	const char *args[] = { name, "\x01" "false" };

	return call(c, "supervisor.startProcess", args, 2, NULL, 0, NULL);
}

enum sd_result
sd_stop(struct sd_conn *c, const char *name)
{
	const char *args[] = { name, "\x01" "false" };

	return call(c, "supervisor.stopProcess", args, 2, NULL, 0, NULL);
}

enum sd_result
sd_signal(struct sd_conn *c, const char *name, const char *signame)
{
	const char *args[] = { name, signame };

	return call(c, "supervisor.signalProcess", args, 2, NULL, 0, NULL);
}
