--- siqun.cli.quantity: `siqun quantity EXPR`, a quantity expression
-- parsed and shown as `key = value` lines (siqun.cli declares the command).

local compat = require "siqun.compat"
local cli = require "siqun.cli.common"
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua

local M = {}

-- Keys of a quantity by kind, in the order quantity prints them (nil where
-- absent); any others follow in sorted order.
local QUANTITY_KEYS = {
  number = { "text", "kind", "value", "qualifier", "unit", "min", "max" },
  date = { "text", "kind", "qualifier", "year", "month", "day",
           "to.year", "to.month", "to.day" },
}

local function show(v)
  if v == nil then return "nil" end
  if type(v) == "number" then return require("siqun.text").number(v) end
  return tostring(v)
end

-- The value at a dotted key ("to.day") of q.
local function lookup(q, key)
  local v = q
  for part in key:gmatch("[^.]+") do
    if type(v) ~= "table" then return nil end
    v = v[part]
  end
  return v
end

-- Every dotted key of q (nested tables flattened), sorted.
local function flat_keys(q, prefix, out)
  for k, v in pairs(q) do
    local key = prefix .. tostring(k)
    if type(v) == "table" then
      flat_keys(v, key .. ".", out)
    else
      out[#out + 1] = key
    end
  end
  return out
end

function M.run(args)
  local q, err = require("siqun").quantity(args.expr)
  if not q then return cli.fail(err) end
  q = q:totable()
  local lines, seen = {}, {}
  for _, k in ipairs(QUANTITY_KEYS[q.kind] or QUANTITY_KEYS.number) do
    seen[k] = true
    lines[#lines + 1] = k .. " = " .. show(lookup(q, k))
  end
  local extra = flat_keys(q, "", {})
  table.sort(extra)
  for _, k in ipairs(extra) do
    if not seen[k] then lines[#lines + 1] = k .. " = " .. show(lookup(q, k)) end
  end
  return cli.put(table.concat(lines, "\n") .. "\n")
end

return M
