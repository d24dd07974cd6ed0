/* sv_appl.h - result of an application-layer parser over the first bytes of a stream. */
#ifndef SV_APPL_H
#define SV_APPL_H

enum sv_app_status {
	SV_APP_OK = 0,       /* parsed; the output is filled */
	SV_APP_NEED_MORE,    /* could be this protocol; give me *need bytes in total */
	SV_APP_NOT,          /* not this protocol (cheap rejection from the first bytes) */
	SV_APP_MALFORMED     /* this protocol, but broken (output holds what was read) */
};
#define SV_APP_MAX_NEED 65536u  /* a parser never asks for more than this */

#endif /* SV_APPL_H */
