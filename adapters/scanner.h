#ifndef SVX_SCANNER_H
#define SVX_SCANNER_H

enum scanner_kind {
	SCANNER_NONE,		/* none found for the parent directory */
	SCANNER_S6,		/* s6-svscan, told to rescan */
	SCANNER_RUNSVDIR,	/* runsvdir, sent SIGALRM */
	SCANNER_SVSCAN,		/* svscan: cannot be told; scans every 5 s */
	SCANNER_RUNSVDIR_UNTOLD	/* a runsvdir that does not catch SIGALRM
				   (upstream's): left alone, scans every 5 s */
};

enum scanner_kind scanner_kick(const char *service_path);

#endif
