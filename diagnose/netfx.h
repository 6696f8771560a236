/* .NET Framework 4.x versions by their Release value (kb/VERSIONS.md 2a). */
#ifndef TD_NETFX_H
#define TD_NETFX_H

#include <stdint.h>

/* The minimum Release values the checks compare with. */
#define TD_NETFX_46 393295u  /* 4.6: TLS 1.2 by default for apps targeting it */
#define TD_NETFX_462 394802u /* 4.6.2: what Configuration Manager requires */

/* "4.7.2" for a Release value; "older than 4.5" below 378389. */
const char *td_netfx_name(uint32_t release);

#endif
