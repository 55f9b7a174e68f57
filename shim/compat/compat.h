/*
 * The native tools' personalities: daemontools' (daemontools.c), runit's
 * (runit.c) and s6's (s6.c). Each is a main().
 */
#ifndef SVX_COMPAT_H
#define SVX_COMPAT_H

int	svc_main(int, char **);
int	svok_main(int, char **);
int	svstat_main(int, char **);
int	sv_main(int, char **);
int	s6svc_main(int, char **);
int	s6svok_main(int, char **);
int	s6svstat_main(int, char **);
int	s6svwait_main(int, char **);

#endif
