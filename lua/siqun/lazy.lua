--- siqun.lazy: the one way the Lua layer loads a part on first use (after
-- Penlight's pl.import_into: a table whose missing fields are looked up in
-- a module required at that moment).  Loading the query language, the
-- List's grouping methods or the writers costs more than opening a
-- dataset, and most scripts need few of them: `require "siqun"` loads
-- none, and each loads when a field that is its own is first read.
--
--   local text = lazy.module "siqun.text"       -- text.width(s) requires it then
--   lazy.fields(Article, {                       -- art:attach(...) requires
--     attach = "siqun.source",                   -- siqun.source and keeps
--     query = { "siqun.query", "run" },          -- its attach in Article
--   }, { __metatable = "siqun.Article class" })
--   lazy.fields(List.methods, {}, nil, { "siqun.compose", "methods" })
--   lazy.stubs(siqun, { query = { "siqun.query", "run" } })  -- a function at once
--
-- The value found is stored in the table (rawset), so a field costs its
-- lookup once.  After an error while loading (out of memory, no LPeg) the
-- next read tries again.  A field the module lacks reads as nil.

local ipairs, next, pairs, pcall, rawget, rawset, require, setmetatable, type =
  ipairs, next, pairs, pcall, rawget, rawset, require, setmetatable, type

local M = {}

--- A table standing for module name: its fields are the module's, which is
-- required on the first read.
function M.module(name)
  return setmetatable({}, { __index = function(t, k)
    local m = require(name)
    setmetatable(t, { __index = m })
    return m[k]
  end })
end

-- where: "module" (its field k) or { "module", "field", "subfield"... }
-- (the module itself when no field is named).
local function value_of(where, k)
  if type(where) == "string" then return require(where)[k] end
  local v = require(where[1])
  for i = 2, #where do v = v[where[i]] end
  return v
end
local function module_of(where)
  return type(where) == "string" and where or where[1]
end

-- Stub -> where it comes from (weak: a stub dropped is forgotten).
local stub_of = setmetatable({}, { __mode = "k" })

--- Gives table t the fields of names made on first use: names[k] says
-- where field k comes from ("module" for its field k; { "module" } for the
-- module itself; { "module", "field" } for another field).  rest (optional,
-- { "module", "field" }): any other key missing from t first copies the
-- functions of that module's table field into t (never over t's own) and
-- then drops the hook (t then reads raw).  mt (optional): the metatable to
-- use (its other fields, such as __metatable, are kept); returns t.
function M.fields(t, names, mt, rest)
  mt = mt or {}
  local loading = false -- (rest's module looks its names up in t while it loads)
  mt.__index = function(tbl, k)
    local where = names[k]
    if where ~= nil then
      local v = value_of(where, k)
      -- (a module's other fields too: it is loaded now)
      for k2, w2 in pairs(names) do
        if w2 == where and k2 ~= k and rawget(tbl, k2) == nil then rawset(tbl, k2, value_of(w2, k2)) end
      end
      if v ~= nil then rawset(tbl, k, v) end
      return v
    end
    if rest == nil or loading then return nil end
    loading = true
    local ok, from = pcall(value_of, rest)
    loading = false
    if not ok then error(from, 0) end
    for name, f in pairs(from) do
      if rawget(tbl, name) == nil then rawset(tbl, name, f) end
    end
    if next(names) == nil then setmetatable(tbl, nil) else rest = nil end
    return rawget(tbl, k)
  end
  return setmetatable(t, mt)
end

--- Replaces in t each stub of lazy.stubs whose module is modname (every
-- one when modname is nil) by its real function, loading the modules.
function M.resolve(t, modname)
  local keys = {}
  for k, v in pairs(t) do
    local where = stub_of[v]
    if where ~= nil and (modname == nil or module_of(where) == modname) then
      keys[#keys + 1] = k
    end
  end
  for _, k in ipairs(keys) do rawset(t, k, value_of(stub_of[rawget(t, k)], k)) end
end

--- Puts in t, for each field k of names (where it comes from, as for
-- fields), a stub: a function that loads the module, puts the real
-- functions in place of t's stubs of that module (M.resolve) and
-- tail-calls its own, so that error levels are the real function's.  For
-- entry points that must be t's own fields (rawget, pairs) from the start.
-- Returns t.
function M.stubs(t, names)
  for k, where in pairs(names) do
    local function stub(...)
      local f = value_of(where, k)
      M.resolve(t, module_of(where))
      return f(...)
    end
    stub_of[stub] = where
    rawset(t, k, stub)
  end
  return t
end

return M
