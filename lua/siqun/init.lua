-- siqun: the facade (docs/api.md), made by siqun.article; the layer is
-- precompiled into siqun.core (SIQUN_LUA_SOURCES=1: these sources).
local core = require "siqun.core"
if core.preload_layer and not os.getenv("SIQUN_LUA_SOURCES") then
  core.preload_layer(package.preload, package.loaded)
end
return require("siqun.article").facade()
