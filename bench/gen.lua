--- Generates the benchmark inputs into build/bench/ (git-ignored), all from
-- the dataset siqun itself loads, so that every side holds the same data:
--
--   article.json       every table as an array of records with all fields,
--                      the derived ones included (value, unit, qualifier,
--                      min, max, members, source_*); a null field is left
--                      out, as siqun returns nil for it
--   article.lua        the same as a Lua table constructor (`return {...}`)
--   open_<side>.lua    the chunks bench.fresh and bench.mem run (siqun,
--                      cjson, dkjson, dofile, floor; core and bare, two
--                      bounds `make bench-callgrind` counts), all reading
--                      the same fields
--   scan.txt           a few MB of generated Chinese text (see scan_text)
--   scale_<k>/         the data package with every table's rows replicated
--                      k times (k = 1, 10, 100, 1000)
--
-- Usage (from bench.lua): require("gen").all(out_dir, data_dir)

local lib = require "lib"

local M = {}

-- ------------------------------------------------------------ export

--- { { name =, fields = { names... }, rows = { { field = value } } } },
-- in the dataset's table order, read through the core.
function M.export()
  local core = require "siqun.core"
  local ds = assert(core.open())
  local out = {}
  for _, name in ipairs(ds:tables()) do
    local t = ds:table(name)
    local fields = {}
    for i, f in ipairs(t:fields()) do fields[i] = f.name end
    local rows = {}
    for i = 1, #t do
      local rec, row = t[i], {}
      for _, f in ipairs(fields) do row[f] = rec[f] end
      rows[i] = row
    end
    out[#out + 1] = { name = name, fields = fields, rows = rows }
  end
  ds:close()
  return out
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  return keys
end

local JSON_ESC = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\r"] = "\\r",
                   ["\t"] = "\\t", ["\b"] = "\\b", ["\f"] = "\\f" }

local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return JSON_ESC[c] or ("\\u%04x"):format(c:byte())
  end) .. '"'
end

local function json_value(v)
  local tv = math.type(v) or type(v)
  if tv == "integer" then return ("%d"):format(v)
  elseif tv == "float" then return ("%.17g"):format(v)
  elseif tv == "string" then return json_string(v)
  elseif tv == "boolean" then return tostring(v)
  end
  error("cannot write a " .. tv .. " as JSON")
end

local function lua_value(v)
  local tv = math.type(v) or type(v)
  if tv == "float" then return ("%.17g"):format(v)   -- exact, and reads back as a float
  elseif tv == "string" then return (("%q"):format(v):gsub("\\\n", "\\n"))
  end
  return tostring(v)
end

function M.write_json(tables, path)
  local parts = { "{" }
  for ti, t in ipairs(tables) do
    parts[#parts + 1] = ("%s:["):format(json_string(t.name))
    for ri, row in ipairs(t.rows) do
      local fs = {}
      for _, k in ipairs(sorted_keys(row)) do
        fs[#fs + 1] = json_string(k) .. ":" .. json_value(row[k])
      end
      parts[#parts + 1] = "{" .. table.concat(fs, ",") .. "}" .. (ri < #t.rows and "," or "")
    end
    parts[#parts + 1] = "]" .. (ti < #tables and "," or "")
  end
  parts[#parts + 1] = "}\n"
  lib.write_file(path, table.concat(parts, "\n"))
end

function M.write_lua(tables, path)
  local parts = { "return {" }
  for _, t in ipairs(tables) do
    parts[#parts + 1] = ("[%q] = {"):format(t.name)
    for _, row in ipairs(t.rows) do
      local fs = {}
      for _, k in ipairs(sorted_keys(row)) do
        fs[#fs + 1] = ("[%q]=%s"):format(k, lua_value(row[k]))
      end
      parts[#parts + 1] = "{" .. table.concat(fs, ",") .. "},"
    end
    parts[#parts + 1] = "},"
  end
  parts[#parts + 1] = "}\n"
  lib.write_file(path, table.concat(parts, "\n"))
end

-- --------------------------------------------------------- open chunks

-- The read function every side shares; LIST(data, name) is the side's way
-- to get a table's records.
local READ = [==[
function M.read(data)
  local n, sum, bytes = 0, 0.0, 0
  for t = 1, #FIELDS do
    local name, fields = FIELDS[t][1], FIELDS[t][2]
    local list = LIST(data, name)
    for i = 1, #list do
      local rec = list[i]
      for j = 1, #fields do
        local v = rec[fields[j]]
        if v ~= nil then
          n = n + 1
          local tv = type(v)
          if tv == "number" then sum = sum + v elseif tv == "string" then bytes = bytes + #v end
        end
      end
    end
  end
  return ("%d values, %d string bytes, number sum %.17g"):format(n, bytes, sum)
end
return M
]==]

-- A side that decodes article.json with the JSON module `mod` (which has
-- a decode function, as cjson and dkjson do).
local function json_side(mod)
  return (([[
local MOD
function M.setup() MOD = require "MOD" end
function M.open()
  local f = assert(io.open(JSON, "rb"))
  local s = f:read("a")
  f:close()
  return MOD.decode(s)
end
local function LIST(data, name) return data[name] end
]]):gsub("MOD", mod))
end

local SIDES = {
  siqun = [[
local siqun
function M.setup() siqun = require "siqun" end
function M.open() return siqun.open() end
local function LIST(art, name) return art:table(name) end
]],
  cjson = json_side("cjson"),
  dkjson = json_side("dkjson"),
  -- not siqun's API: plain tables made in one C call (bench/floor.c), the
  -- least a fresh state can pay for these values
  floor = [[
package.cpath = JSON:match("^(.*)/[^/]*$") .. "/?.so;" .. package.cpath
local floor
function M.setup() floor = require "floor" end
function M.open() return floor.open() end
local function LIST(data, name) return data[name] end
]],
  dofile = [[
function M.setup() end
function M.open() return dofile(LUAFILE) end
local function LIST(data, name) return data[name] end
]],
  -- two bounds for siqun's design (bench/README.md, "What is left"), not
  -- siqun's API.  core: no Lua layer at all: the core's Dataset and
  -- Tables, and for each the items table a whole-table List holds
  -- (core.list_items: its records made 64 at a time by core.list_index),
  -- read with its length (items.n: READ's #list made list.n below).
  core = [==[
local core
function M.setup() core = require "siqun.core" end
function M.open()
  local ds = assert(core.open())
  local names, lists = ds:tables(), {}
  for i = 1, #names do
    local t = ds:table(names[i])
    lists[names[i]] = core.list_items(t, #t)
  end
  return lists
end
local function LIST(data, name) return data[name] end
]==],
  -- bare: the barest Lua layer that serves siqun.open() and art:table(name)
  -- with the core's records (no siqun/init.lua, package.preload, compat,
  -- List methods nor facade), precompiled as siqun's layer is.
  bare = [==[
local BARE = [=[
local core = require "siqun.core"
local art_state, list_state = setmetatable({}, { __mode = "k" }), setmetatable({}, { __mode = "k" })
local Article = {}
local function ro() error("read-only", 2) end
local art_mt = { __metatable = "siqun.Article", __newindex = ro }
function art_mt.__index(self, k) return Article[k] or art_state[self].lists[k] end
local function len(self) return list_state[self].n end
function Article:table(name)
  local s = art_state[self]
  local l = s.lists[name]
  if l == nil then
    local t = s.tables[name]
    if t == nil then return nil, "no table" end
    local items = core.list_items(t, #t)
    l = setmetatable({}, { __index = items, __newindex = ro, __len = len, __metatable = "siqun.List" })
    list_state[l], s.lists[name] = items, l
  end
  return l
end
return { open = function()
  local ds = assert(core.open())
  local names, tables = ds:tables(), {}
  for i = 1, #names do tables[names[i]] = ds:table(names[i]) end
  local self = setmetatable({}, art_mt)
  art_state[self] = { ds = ds, lists = {}, tables = tables }
  return self
end }
]=]
local BC = string.dump(assert(load(BARE, "=bare")), true)
local siqun
function M.setup() siqun = load(BC, "=bare", "b")() end
function M.open() return siqun.open() end
local function LIST(art, name) return art:table(name) end
]==],
}
-- (the core side's items table has no __len: its length is items.n)
local READ_OF = { core = (READ:gsub("#list", "list.n")) }

function M.write_chunks(tables, dir)
  local f = { "local FIELDS = {" }
  for _, t in ipairs(tables) do
    local names = {}
    for i, n in ipairs(t.fields) do names[i] = ("%q"):format(n) end
    f[#f + 1] = ("  { %q, { %s } },"):format(t.name, table.concat(names, ", "))
  end
  f[#f + 1] = "}"
  local fields = table.concat(f, "\n")
  for side, body in pairs(SIDES) do
    local src = table.concat({
      "-- generated by bench/gen.lua: the '" .. side .. "' side of the open benchmark",
      "-- luacheck: ignore",
      "local M = {}",
      ("local JSON, LUAFILE = %q, %q"):format(dir .. "/article.json", dir .. "/article.lua"),
      fields, body, READ_OF[side] or READ }, "\n")
    lib.write_file(("%s/open_%s.lua"):format(dir, side), src)
  end
end

-- ---------------------------------------------------------- scan text

-- Characters for filler: frequent news vocabulary, no numeral character.
-- (不, 多, 近, 以, 上 ... are in: the scanner has to look at them.)
local FILLER = "的是在了和有这为民群众干部工作基层联系服务心情交融呼应深入实际调研走访农户" ..
  "村寨社区发展问题意见建议解决落实制度机制作风转变思想观念我们他们大家同志组织党委" ..
  "政府部门领导改革开放建设经济社会文化教育学习讨论活动开展推进加强提高保障生活困难" ..
  "帮助关心支持参与坚持创新实践经验成果做法推广地方边疆山区乡镇街道城市年轻老人孩子" ..
  "家庭收入产业项目资金技术培训就业医疗住房道路饮水电力通信环境生态保护安全稳定和谐" ..
  "不多近以上下来去到说看想做得着过还也都就要会能可把被从对向与及并而且但是如果因为" ..
  "所以虽然已经正在将要通过根据按照关于进行实现形成达到取得提出认为表示介绍指出强调"
local PUNCT = { "，", "，", "，", "、", "；", "。" }

local function filler_chars()
  local t = {}
  for _, c in utf8.codes(FILLER) do t[#t + 1] = utf8.char(c) end
  return t
end

--- Generated Chinese text of at least `size` bytes: sentences of our own
-- that state the dataset's facts (figures, quotas, events: the quantity
-- as the dataset records it and the curators' Chinese gloss), separated
-- by runs of filler (random common characters and punctuation, no
-- numerals).  No sentence of the article is used.
function M.scan_text(tables, size, seed)
  local by = {}
  for _, t in ipairs(tables) do by[t.name] = t.rows end
  local facts = {}
  for _, r in ipairs(by.figures or {}) do
    facts[#facts + 1] = ("据统计，%s累计为%s。"):format(r.label_zh or "这项工作", r.text)
    facts[#facts + 1] = ("数字显示：%s，共%s。"):format(r.label_zh or "相关成果", r.text)
  end
  for _, r in ipairs(by.quotas or {}) do
    if r.activity ~= "pairing" then
      facts[#facts + 1] = ("制度要求%s干部每%s%s。"):format(r.rank_zh or "各级",
        r.per == "year" and "年" or "期", r.text)
    end
  end
  for _, r in ipairs(by.events or {}) do
    facts[#facts + 1] = ("%s，%s"):format(r.text, r.what_zh or "")
  end
  local chars = filler_chars()
  local r = lib.rng(seed or 20120701)
  -- a fact, then a run of filler characters and punctuation
  return lib.concat_until(size, function()
    local fact = facts[1 + r(#facts)]
    local len = 30 + r(90)
    local run = {}
    for i = 1, len do
      run[i] = chars[1 + r(#chars)]
      if i % (6 + r(12)) == 0 then run[i] = run[i] .. PUNCT[1 + r(#PUNCT)] end
    end
    return fact .. table.concat(run) .. "。\n"
  end)
end

-- -------------------------------------------------------- scaled data

-- RFC 4180 reader for the dataset's CSVs: header, rows (lists of strings).
local function read_csv(s)
  local rows, row, field, i, n = {}, {}, {}, 1, #s
  local inq = false
  while i <= n do
    local c = s:sub(i, i)
    if inq then
      if c == '"' then
        if s:sub(i + 1, i + 1) == '"' then field[#field + 1] = '"'; i = i + 1
        else inq = false end
      else
        local j = s:find('"', i, true) or n + 1
        field[#field + 1] = s:sub(i, j - 1)
        i = j - 1
      end
    elseif c == '"' then inq = true
    elseif c == "," then row[#row + 1] = table.concat(field); field = {}
    elseif c == "\n" or c == "\r" then
      if c == "\r" and s:sub(i + 1, i + 1) == "\n" then i = i + 1 end
      row[#row + 1] = table.concat(field); field = {}
      rows[#rows + 1] = row; row = {}
    else
      local j = s:find('[,"\r\n]', i) or n + 1
      field[#field + 1] = s:sub(i, j - 1)
      i = j - 1
    end
    i = i + 1
  end
  if #field > 0 or #row > 0 then row[#row + 1] = table.concat(field); rows[#rows + 1] = row end
  local header = table.remove(rows, 1)
  return header, rows
end

local function csv_field(s)
  if s:find('[,"\r\n]') then return '"' .. s:gsub('"', '""') .. '"' end
  return s
end

local function as_list(v)
  if type(v) == "string" then return { v } end
  return v or {}
end

--- Writes into dir the data package of data_dir with each table's rows
-- replicated k times.  Copy 1 is the original; copy c > 1 gets new keys:
-- every primary-key or unique field gets "_r<c>" appended (strings) or
-- c-1 times a power of ten above its largest value added (integers), and
-- every foreign key field follows the field it references, so the keys
-- stay unique and the references intact.  Spans are kept: the source's
-- code point count bounds them.  The siqun rule that a quota of activity
-- 'pairing' names a glossary term is followed the same way.
function M.write_scaled(data_dir, dir, k)
  local cjson = require "cjson"
  local desc_text = lib.read_file(data_dir .. "/datapackage.json")
  local desc = cjson.decode(desc_text)
  os.execute(("mkdir -p '%s'"):format(dir))
  lib.write_file(dir .. "/datapackage.json", desc_text)
  -- remap[resource][field] = "string" | integer step
  local csvs, remap, types = {}, {}, {}
  for _, res in ipairs(desc.resources) do
    local header, rows = read_csv(lib.read_file(data_dir .. "/" .. res.path))
    csvs[res.name] = { header = header, rows = rows, path = res.path }
    remap[res.name], types[res.name] = {}, {}
    for _, f in ipairs(res.schema.fields) do types[res.name][f.name] = f.type end
  end
  local function mark(rname, fname)
    if remap[rname][fname] then return end
    if types[rname][fname] == "integer" then
      local c, col = csvs[rname], nil
      for i, h in ipairs(c.header) do if h == fname then col = i end end
      local max = 0
      for _, row in ipairs(c.rows) do
        local v = tonumber(row[col])
        if v and v > max then max = v end
      end
      local step = 10
      while step <= max do step = step * 10 end
      remap[rname][fname] = step
    else
      remap[rname][fname] = "string"
    end
  end
  for _, res in ipairs(desc.resources) do
    for _, f in ipairs(as_list(res.schema.primaryKey)) do mark(res.name, f) end
    for _, f in ipairs(res.schema.fields) do
      if f.constraints and f.constraints.unique then mark(res.name, f.name) end
    end
  end
  local changed = true
  while changed do -- foreign keys follow what they reference
    changed = false
    for _, res in ipairs(desc.resources) do
      for _, fk in ipairs(res.schema.foreignKeys or {}) do
        local from, to = as_list(fk.fields), as_list(fk.reference.fields)
        local target = fk.reference.resource
        if target == "" then target = res.name end
        for i, fname in ipairs(from) do
          local how = remap[target][to[i]]
          if how and remap[res.name][fname] ~= how then
            remap[res.name][fname] = how
            changed = true
          end
        end
      end
    end
  end
  local function map(how, v, c)
    if v == "" or c == 1 then return v end
    if how == "string" then return v .. "_r" .. c end
    return tostring(math.tointeger(tonumber(v)) + (c - 1) * how)
  end
  local term_how = remap.glossary and remap.glossary.term
  for _, res in ipairs(desc.resources) do
    local c = csvs[res.name]
    local hows, act, text = {}, nil, nil
    for i, h in ipairs(c.header) do
      hows[i] = remap[res.name][h]
      if h == "activity" then act = i elseif h == "text" then text = i end
    end
    local out = { table.concat(c.header, ",") }
    for copy = 1, k do
      for _, row in ipairs(c.rows) do
        local cells = {}
        for i, v in ipairs(row) do
          local how = hows[i]
          if res.name == "quotas" and i == text and act and row[act] == "pairing" then
            how = term_how
          end
          cells[i] = csv_field(how and map(how, v, copy) or v)
        end
        out[#out + 1] = table.concat(cells, ",")
      end
    end
    lib.write_file(dir .. "/" .. c.path, table.concat(out, "\n") .. "\n")
  end
  local rows = 0
  for _, c in pairs(csvs) do rows = rows + #c.rows * k end
  return rows
end

--- Everything above into out (a directory that exists).
function M.all(out, data_dir, scales, scan_bytes)
  local tables = M.export()
  M.write_json(tables, out .. "/article.json")
  M.write_lua(tables, out .. "/article.lua")
  M.write_chunks(tables, out)
  lib.write_file(out .. "/scan.txt", M.scan_text(tables, scan_bytes))
  local rows = {}
  for _, k in ipairs(scales) do
    rows[k] = M.write_scaled(data_dir, ("%s/scale_%d"):format(out, k), k)
  end
  return tables, rows
end

return M
