--- siqun.writer.json_doc: JSON of nested values, laid out -- a report
-- document (siqun.writer.json's write), plain Lua data (its encode) and a
-- row holding a list.  Loaded on first use: a List's records, written by
-- siqun.writer.json's list, need none of it.  Layout: keys in a fixed
-- order; a container holding only scalars on one line; opts.indent spaces
-- a level (2; 0 or false: one line).

local json = require "siqun.writer.json_value" -- (null, string, scalar)
local compat = require "siqun.compat"
local ipairs, pairs = compat.ipairs, compat.pairs -- 5.3's ipairs, 5.2's pairs, on every Lua
local scalar = json.scalar

local M = {}

local OBJ, ARR = {}, {}


-- An ordered object from a flat list k1, v1, k2, v2, ... (nil values kept
-- as null when keep_null, else dropped).
local function obj(keep_null, ...)
  local o = { keys = {}, vals = {}, n = 0 }
  local args = compat.pack(...)
  for i = 1, args.n, 2 do
    local k, v = args[i], args[i + 1]
    if v ~= nil or keep_null then
      o.n = o.n + 1
      o.keys[o.n], o.vals[o.n] = k, v
    end
  end
  return setmetatable(o, OBJ)
end

local function arr(items, n)
  return setmetatable({ items = items, n = n or #items }, ARR)
end


local function is_container(v)
  local mt = getmetatable(v)
  return mt == OBJ or mt == ARR
end

local function encode(v, indent, depth, out)
  local mt = getmetatable(v)
  if mt ~= OBJ and mt ~= ARR then
    out[#out + 1] = scalar(v)
    return
  end
  local open, close = "{", "}"
  if mt == ARR then open, close = "[", "]" end
  if v.n == 0 then
    out[#out + 1] = open .. close
    return
  end
  local flat = indent == 0
  if not flat then
    flat = true
    for i = 1, v.n do
      local x = mt == ARR and v.items[i] or v.vals[i]
      if is_container(x) then flat = false; break end
    end
  end
  local nl = flat and "" or ("\n" .. (" "):rep(indent * (depth + 1)))
  local sep = flat and (indent == 0 and "," or ", ") or ("," .. nl)
  local colon = indent == 0 and ":" or ": "
  out[#out + 1] = open .. nl
  for i = 1, v.n do
    if i > 1 then out[#out + 1] = sep end
    if mt == OBJ then
      out[#out + 1] = json.string(v.keys[i]) .. colon
      encode(v.vals[i], indent, depth + 1, out)
    else
      encode(v.items[i], indent, depth + 1, out)
    end
  end
  out[#out + 1] = (flat and "" or ("\n" .. (" "):rep(indent * depth))) .. close
end

-- A row of a prepared table as an object: keys in column order, every
-- column present (null where empty), a list cell as an array.
local function record(columns, row)
  local kv = {}
  for k, c in ipairs(columns) do
    local v = row[c.name]
    if type(v) == "table" then v = arr(v) end
    kv[2 * k - 1] = c.name
    kv[2 * k] = v
  end
  -- table.unpack stops at nothing: pass the count explicitly
  return obj(true, compat.unpack(kv, 1, 2 * #columns))
end

local function block(b)
  if b.kind == "heading" then
    return obj(false, "kind", b.kind, "level", b.level, "text", b.text)
  elseif b.kind == "para" then
    return obj(false, "kind", b.kind, "text", b.text)
  elseif b.kind == "list" then
    return obj(false, "kind", b.kind, "items", arr(b.items))
  elseif b.kind == "table" then
    local cols, rows = {}, {}
    for i, c in ipairs(b.columns) do
      cols[i] = obj(false, "name", c.name, "title", c.title, "type", c.type, "unit", c.unit)
    end
    for r, row in ipairs(b.rows) do rows[r] = record(b.columns, row) end
    return obj(false, "kind", b.kind, "name", b.name, "caption", b.caption,
               "columns", arr(cols), "rows", arr(rows))
  else
    local data = {}
    for i, d in ipairs(b.data) do
      if b.chart == "timeline" then
        data[i] = obj(false, "label", d.label, "date", d.date, "date_end", d.date_end,
                      "text", d.text, "group", d.group)
      else
        data[i] = obj(false, "label", d.label, "value", d.value == nil and json.null or d.value,
                      "text", d.text, "group", d.group)
      end
    end
    return obj(false, "kind", b.kind, "chart", b.chart, "name", b.name, "title", b.title,
               "unit", b.unit, "log", b.log, "data", arr(data))
  end
end

--- The document as a JSON text (final newline).
function M.write(doc, opts)
  doc = require("siqun.writer.common").prepare(doc, 3)
  opts = opts or {}
  local indent = opts.indent
  if indent == nil then indent = 2 end
  indent = compat.tointeger(indent) or 0
  local blocks = {}
  for i, b in ipairs(doc.blocks) do blocks[i] = block(b) end
  local root = obj(false, "report", doc.report, "title", doc.title, "subtitle", doc.subtitle,
                   "lang", doc.lang, "blocks", arr(blocks))
  local out = {}
  encode(root, indent, 0, out)
  return table.concat(out) .. "\n"
end


--- Encodes plain Lua data (for writers of your own): tables with keys
-- 1..n are arrays, other tables objects with sorted keys.
function M.encode(v, opts)
  local indent = opts and opts.indent
  if indent == nil then indent = 2 end
  local function conv(x)
    if type(x) ~= "table" then return x end
    local n = #x
    local keys = {}
    for k in pairs(x) do keys[#keys + 1] = k end
    if n == #keys then
      local items = {}
      for i = 1, n do items[i] = conv(x[i]) end
      return arr(items, n)
    end
    table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
    local kv = {}
    for _, k in ipairs(keys) do
      kv[#kv + 1] = tostring(k)
      kv[#kv + 1] = conv(x[k])
    end
    return obj(true, compat.unpack(kv))
  end
  local out = {}
  encode(conv(v), compat.tointeger(indent) or 0, 0, out)
  return table.concat(out)
end

--- A row as the text of one object at depth 1 (the encoder's layout: a
-- list cell on a line of its own): vals[k] the value of column k of cols,
-- strings valid UTF-8, lists plain arrays (siqun.writer.json's row_text).
function M.row(cols, vals, indent)
  local kv = {}
  for i, c in ipairs(cols) do
    local x = vals[i]
    if type(x) == "table" then x = arr(x) end
    kv[2 * i - 1] = c.name
    kv[2 * i] = x
  end
  local out = {}
  -- table.unpack stops at nothing: pass the count explicitly
  encode(obj(true, compat.unpack(kv, 1, 2 * #cols)), indent, 1, out)
  return table.concat(out)
end

return M
