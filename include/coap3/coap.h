/* coap.h: the one header programs include; it pulls in the whole public API.
 * Part of our libcoap-compatible CoAP library. SPDX-License-Identifier: BSD-2-Clause
 *
 * The build options (coap_defines.h) are deliberately not included here, so
 * a program compiles the same way against every flavour of the library.
 */
#ifndef COAP_H_
#define COAP_H_

/* Identity of the API this library implements: libcoap 4.3.5. Programs test
 * these to pick code paths, so they carry the values of that release. */
#define LIBCOAP_PACKAGE_BUGREPORT "see README.md of the library"
#define LIBCOAP_PACKAGE_NAME "libcoap"
#define LIBCOAP_PACKAGE_STRING "libcoap 4.3.5"
#define LIBCOAP_PACKAGE_URL "https://libcoap.net/"
#define LIBCOAP_PACKAGE_VERSION "4.3.5"
/* Major, minor and patch as 1000000 * major + 1000 * minor + patch. */
#define LIBCOAP_VERSION (4003005ULL)

#ifdef __cplusplus
extern "C" {
#endif

#include "coap3/libcoap.h"

#include "coap3/coap_forward_decls.h"
#include "coap3/coap_address.h"
#include "coap3/coap_async.h"
#include "coap3/coap_block.h"
#include "coap3/coap_cache.h"
#include "coap3/coap_debug.h"
#include "coap3/coap_dtls.h"
#include "coap3/coap_encode.h"
#include "coap3/coap_event.h"
#include "coap3/coap_io.h"
#include "coap3/coap_mem.h"
#include "coap3/coap_net.h"
#include "coap3/coap_option.h"
#include "coap3/coap_oscore.h"
#include "coap3/coap_pdu.h"
#include "coap3/coap_prng.h"
#include "coap3/coap_proxy.h"
#include "coap3/coap_resource.h"
#include "coap3/coap_str.h"
#include "coap3/coap_subscribe.h"
#include "coap3/coap_supported.h"
#include "coap3/coap_time.h"
#include "coap3/coap_uri.h"
#include "coap3/coap_ws.h"

#ifdef __cplusplus
}
#endif

#endif /* COAP_H_ */
