--- siqun.query.fuse: a where clause bound to a dataset table, fused into
-- generated Lua code (the closures of siqun.query.cond cost a call per
-- node and per record).

local compat = require "siqun.compat"
local is_nomem = require("siqun.query.errors").is_nomem

local M = {}

local LUA_OP = { ["="] = "==", ["!="] = "~=", ["<"] = "<", ["<="] = "<=", [">"] = ">", [">="] = ">=" }
local MAX_FUSED = 24 -- comparisons: 2 upvalues each (5.1 and LuaJIT allow 60)

--- The where clause node for records whose fields have the Lua types
-- types (siqun.fields' lua_types), fused.  Only for trees of and/or/not
-- over `field op literal` whose literal has the field's type (where
-- siqun.query.cond compares without type tests); nil otherwise.  Same
-- three-valued results and short-circuits as the closures; the field
-- names and literals are upvalues k1, k2, ..., never spliced into the
-- source.  Returns the condition, function(x), and the same test inlined
-- in a loop, select(items, n, out) -> m: the items among items[1..n] for
-- which it is true into out[1..m], in order (what filter keeps;
-- List._select).
function M.gen_cond(node, types)
  local src, k, nk, nr, ncmp = {}, {}, 0, 0, 0
  local function const(v) nk = nk + 1; k[nk] = v; return "k" .. nk end
  local function var() nr = nr + 1; return "r" .. nr end
  -- appends code setting r (a fresh local, so nil) to n's result
  local function gen(n, r)
    local tag = n.tag
    if tag == "and" or tag == "or" then
      local stop, other, a, b = tostring(tag == "or"), tostring(tag == "and"), var(), var()
      src[#src + 1] = "local " .. a
      if not gen(n[1], a) then return false end
      src[#src + 1] = ("if %s == %s then %s = %s else local %s"):format(a, stop, r, stop, b)
      if not gen(n[2], b) then return false end
      src[#src + 1] = ("if %s == %s then %s = %s elseif %s ~= nil and %s ~= nil then %s = %s end end")
                      :format(b, stop, r, stop, a, b, r, other)
    elseif tag == "not" then
      local a = var()
      src[#src + 1] = "local " .. a
      if not gen(n[1], a) then return false end
      src[#src + 1] = ("if %s ~= nil then %s = not %s end"):format(a, r, a)
    else
      local lhs, rhs = n[1], n[2]
      ncmp = ncmp + 1
      if tag ~= "cmp" or ncmp > MAX_FUSED or lhs.tag ~= "field" or rhs.tag ~= "lit"
         or not LUA_OP[n.op] or types[lhs.name] == nil or types[lhs.name] ~= type(rhs.value) then
        return false
      end
      local a = var() -- the field, read once
      src[#src + 1] = ("local %s = x[%s] if %s ~= nil then %s = %s %s %s end")
                      :format(a, const(lhs.name), a, r, a, LUA_OP[n.op], const(rhs.value))
    end
    return true
  end
  if not gen(node, "r") then return nil end
  local names = {}
  for i = 1, nk do names[i] = "k" .. i end
  local body = table.concat(src, "\n")
  local text = ("local %s = ...\nreturn function(x) local r\n%s\nreturn r end,\n" ..
                "function(items, n, out) local m = 0\n" ..
                "for i = 1, n do local x = items[i] local r\n%s\n" ..
                "if r == true then m = m + 1 out[m] = x end end\nreturn m end")
               :format(table.concat(names, ", "), body, body)
  local chunk, err = compat.load(text, "=siqun.query", "t", {}) -- no globals
  if not chunk then -- past a limit of the Lua compiler: the closures then
    if is_nomem(err) then error(err, 0) end
    return nil
  end
  return chunk(compat.unpack(k, 1, nk))
end

return M
