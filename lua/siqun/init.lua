--- siqun: one Yunnan Daily article (2012-07-01) as a dataset for Lua
-- scripts; the facade (docs/api.md), the rest in siqun.article.
local core = require "siqun.core"
-- (the layer precompiled into siqun.core; SIQUN_LUA_SOURCES=1: the sources)
if core.preload_layer and not os.getenv("SIQUN_LUA_SOURCES") then
  core.preload_layer(package.preload, package.loaded)
end
local article = require "siqun.article"
local open, M = article.open, {}

--- Opens the embedded article, or the data package in directory dir: an
-- Article, or nil and the loader's message.
function M.open(dir)
  if dir ~= nil and type(dir) ~= "string" then
    error(("bad argument #1 to 'open' (string expected, got %s)"):format(type(dir)), 2)
  end
  return open(dir)
end

return article.install(M)
