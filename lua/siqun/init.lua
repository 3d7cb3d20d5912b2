-- siqun: the facade (docs/api.md), made by siqun.facade (siqun.core's
-- open_layer: the layer precompiled into it, or with SIQUN_LUA_SOURCES=1
-- these sources).  (require reads this file from its source every time.)
return require("siqun.core").open_layer()
