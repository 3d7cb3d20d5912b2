--- siqun: one Yunnan Daily article (2012-07-01, 情的交融 心的呼应) as a
-- dataset for Lua scripts.  This facade wraps the C core (siqun.core) in
-- pandoc-style objects: an Article whose tables are read-only Lists of
-- records.
--
--   local siqun = require "siqun"
--   local art = siqun.open()                       -- the embedded dataset
--   print(art.meta.title, #art.figures)
--   local f = art.figures:find(function(f) return f.text == "54.29万本" end)
--   print(f.value, f.unit, f.qualifier)           --> 542900  本  exact
--   print(art.glossary:get("四联户").members:at(1))
--
-- Errors: siqun.open(dir) returns nil and the loader's message (naming the
-- file, line and field) for a bad dataset; misuse raises.

local core = require "siqun.core"
-- The rest of the Lua layer is precompiled into siqun.core (bytecode of this
-- interpreter's version, made at build time): offered in package.preload,
-- so the require calls below skip parsing; the sources on package.path
-- serve when it is absent or made for another version.  Everything but
-- siqun.open is in siqun.article (this file is parsed at every require).
-- SIQUN_LUA_SOURCES=1 in the environment makes it use the sources instead
-- (when working on them without rebuilding the module).
if core.preload_layer and not os.getenv("SIQUN_LUA_SOURCES") then
  core.preload_layer(package.preload, package.loaded)
end
local article = require "siqun.article"
local new_article = article.new

local M = {}

--- Opens a dataset: the embedded article without argument, or the data
-- package in directory dir.  Returns an Article, or nil and the loader's
-- message.
function M.open(dir)
  local ds, err
  if dir == nil then
    ds, err = core.open()
  elseif type(dir) ~= "string" then
    error(("bad argument #1 to 'open' (string expected, got %s)"):format(type(dir)), 2)
  else
    ds, err = core.open(dir)
  end
  if not ds then return nil, err end
  return new_article(ds)
end

return article.install(M)
