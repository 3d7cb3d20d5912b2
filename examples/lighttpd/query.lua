-- query.lua -- siqun behind lighttpd: a mod_magnet script that answers
--   GET /quantity?q=近50万名          the quantity parser
--   GET /figures                     every figure
--   GET /figures?id=linking_cadres   one figure
--   GET /query?q=figures where value > 100万 order by value desc
-- with JSON (application/json; charset=utf-8).  A missing or bad parameter
-- is 400 with {"error": "..."}, an unknown figure or path 404, a method
-- other than GET or HEAD 405.  See lighttpd.conf beside it.
--
-- mod_magnet compiles the script once and runs it for every request in one
-- Lua 5.4 state (with the standard libraries, so require loads C modules);
-- what must outlive a request lives in package.loaded.  The request API is
-- lighttpd 1.4.60's lighty.r / lighty.c; the older lighty.env / lighty.header
-- / lighty.content is used where lighty.r is missing.
--
-- Where siqun is found: the environment variables SIQUN_LUA_PATH and
-- SIQUN_LUA_CPATH (package.path / package.cpath templates, prepended),
-- else the checkout this script lies in (../../lua and ../../build), else
-- the default paths (an installed siqun).

-- luacheck: globals lighty

local STATE = "siqun.examples.lighttpd" -- package.loaded key of our state

local function setup()
  local here = debug.getinfo(1, "S").source:match("^@?(.*)/examples/lighttpd/[^/]*$")
  local lpath = os.getenv("SIQUN_LUA_PATH")
  local cpath = os.getenv("SIQUN_LUA_CPATH")
  if not lpath and here then lpath = here .. "/lua/?.lua;" .. here .. "/lua/?/init.lua" end
  if not cpath and here then cpath = here .. "/build/?.so" end
  if lpath then package.path = lpath .. ";" .. package.path end
  if cpath then package.cpath = cpath .. ";" .. package.cpath end
  local siqun = require "siqun"
  local art = assert(siqun.open())
  return { siqun = siqun, art = art }
end

local state = package.loaded[STATE]
if not state then
  state = setup()
  package.loaded[STATE] = state
end
local siqun, art = state.siqun, state.art

-- ------------------------------------------------------------- JSON

-- Valid UTF-8 out whatever came in: each invalid byte becomes U+FFFD.
local function utf8_clean(s)
  if utf8.len(s) then return s end
  local parts, i = {}, 1
  while i <= #s do
    local _, bad = utf8.len(s, i)
    if not bad then
      parts[#parts + 1] = s:sub(i)
      break
    end
    parts[#parts + 1] = s:sub(i, bad - 1) .. "\u{FFFD}"
    i = bad + 1
  end
  return table.concat(parts)
end

local ESC = { ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f",
              ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }

local function json_string(s)
  return '"' .. utf8_clean(s):gsub('[%c"\\]', function(c)
    return ESC[c] or ("\\u%04x"):format(c:byte())
  end) .. '"'
end

local json

local function json_value(v, out)
  local t = type(v)
  if t == "string" then
    out[#out + 1] = json_string(v)
  elseif t == "number" then
    if math.type(v) == "integer" then
      out[#out + 1] = ("%d"):format(v)
    elseif v ~= v or v == math.huge or v == -math.huge then
      out[#out + 1] = "null"
    else
      out[#out + 1] = ("%.17g"):format(v)
    end
  elseif t == "boolean" then
    out[#out + 1] = tostring(v)
  elseif t == "table" then
    if #v > 0 or next(v) == nil and getmetatable(v) == json.array then
      out[#out + 1] = "["
      for i = 1, #v do
        if i > 1 then out[#out + 1] = "," end
        json_value(v[i], out)
      end
      out[#out + 1] = "]"
    else
      local keys = {}
      for k in pairs(v) do keys[#keys + 1] = tostring(k) end
      table.sort(keys)
      out[#out + 1] = "{"
      for i, k in ipairs(keys) do
        if i > 1 then out[#out + 1] = "," end
        out[#out + 1] = json_string(k) .. ":"
        local x = v[k]
        if x == nil then x = v[tonumber(k)] end
        json_value(x, out)
      end
      out[#out + 1] = "}"
    end
  else
    out[#out + 1] = "null"
  end
end

json = { array = {} }
function json.encode(v)
  local out = {}
  json_value(v, out)
  return table.concat(out)
end

-- A record as a plain table (its fields and its span); a query's row
-- (select, aggregates) as a table of its columns.
local function plain(x)
  if type(x) == "userdata" and x.totable then return x:totable() end
  local q = package.loaded["siqun.query"]
  if type(q) == "table" and q.is_row and q.is_row(x) then
    local t = {}
    for k, v in pairs(x) do t[k] = v end
    return t
  end
  return x
end

-- --------------------------------------------------------- request I/O

local req = {}
if lighty.r then
  local attr = lighty.r.req_attr
  req.method, req.path, req.query = attr["request.method"], attr["uri.path"], attr["uri.query"]
else
  req.method, req.path, req.query = lighty.env["request.method"], lighty.env["uri.path"],
    lighty.env["uri.query"]
end

local function urldecode(s)
  s = s:gsub("+", " ")
  return (s:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end

local function params(q)
  if not q or q == "" then return {} end
  if lighty.c and lighty.c.urldec_query then return lighty.c.urldec_query(q) end
  local t = {}
  for pair in q:gmatch("[^&]+") do
    local k, v = pair:match("^([^=]*)=?(.*)$")
    t[urldecode(k)] = urldecode(v)
  end
  return t
end

local function reply(status, value)
  local body = json.encode(value) .. "\n"
  local ctype = "application/json; charset=utf-8"
  if lighty.r then
    lighty.r.resp_header["Content-Type"] = ctype
    lighty.r.resp_body:set({ body })
  else
    lighty.header["Content-Type"] = ctype
    lighty.content = { body }
  end
  return status
end

local function fail(status, msg)
  return reply(status, { error = msg, status = status })
end

-- ----------------------------------------------------------- handlers

local handlers = {}

function handlers.quantity(p)
  local q = p.q
  if q == nil or q == "" then return fail(400, "missing parameter q (a quantity such as 近50万名)") end
  local res, err = siqun.quantity(q)
  if not res then return fail(400, err) end
  return reply(200, res:totable())
end

function handlers.figures(p)
  local id = p.id
  if id == nil then
    return reply(200, setmetatable(art.figures:map(plain):totable(), json.array))
  end
  if id == "" then return fail(400, "empty parameter id") end
  local f = art.figures:get(id)
  if f == nil then return fail(404, ("no figure with id '%s'"):format(id)) end
  return reply(200, plain(f))
end

function handlers.query(p)
  local q = p.q
  if q == nil or q == "" then return fail(400, "missing parameter q (a query such as: figures limit 3)") end
  local rows, err = siqun.safe.query(art, q)
  if not rows then return fail(400, err) end
  local out = setmetatable({}, json.array)
  for i, r in ipairs(rows) do out[i] = plain(r) end
  return reply(200, { query = q, count = #out, rows = out })
end

local name = req.path and req.path:match("^/(%w+)$")
local handler = name and handlers[name]
if handler == nil or (name == "query" and type(rawget(siqun, "safe")) ~= "table") then
  return fail(404, ("no such resource: %s"):format(tostring(req.path)))
end
if req.method ~= "GET" and req.method ~= "HEAD" then
  return fail(405, "only GET is supported")
end
return handler(params(req.query))
