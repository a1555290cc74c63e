/* Debian sid's static libcoap objects were compiled against glibc 2.38,
 * whose C23 headers redirect strtol/strtoul to these names. bookworm's
 * glibc 2.36 lacks them; the reference driver links this file so the 4.3.5
 * objects run here. Not part of the library. */
#include <stdlib.h>

long __isoc23_strtol(const char *s, char **end, int base);
unsigned long __isoc23_strtoul(const char *s, char **end, int base);

long __isoc23_strtol(const char *s, char **end, int base) {
  return strtol(s, end, base);
}
unsigned long __isoc23_strtoul(const char *s, char **end, int base) {
  return strtoul(s, end, base);
}
