/*
 * lsq_core.c -- luaopen_siqun_core: the module table of siqun.core, filled
 * by the binding files (lsq_dataset.c, lsq_quantity.c).  The only symbol
 * the library exports.  No global is set.
 */
#include "lsq.h"
#include "siqun.h"

#if defined(__GNUC__)
#define LSQ_EXPORT __attribute__((visibility("default")))
#else
#define LSQ_EXPORT
#endif

LSQ_EXPORT int luaopen_siqun_core(lua_State *L);

int luaopen_siqun_core(lua_State *L) {
  luaL_checkversion(L);
  lua_newtable(L);
  sq_open_dataset(L);
  sq_open_quantity(L);
  lua_pushliteral(L, "siqun.core " SIQUN_VERSION);
  lua_setfield(L, -2, "_VERSION");
  return 1;
}
