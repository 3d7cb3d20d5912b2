-- Regenerates the seed corpora under fuzz/corpus/ (committed; small):
--   lua5.4 fuzz/make_corpus.lua        (from the repository root)
-- csv: the CSVs of data/ and of the fixture, and CSV edge cases; load: one
-- file of the fixture each (see load_fuzz.c for the format), a few edits;
-- quantity: the expressions of spec/quantity_spec.lua and data/figures.csv;
-- scan: paragraphs of the fixture's source text and of the data's texts.

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local function ls(dir, pattern)
  local p = assert(io.popen(("ls %s"):format(dir)))
  local out = {}
  for name in p:lines() do
    if name:match(pattern) then out[#out + 1] = name end
  end
  p:close()
  table.sort(out)
  return out
end

local function clear(dir)
  assert(os.execute(("mkdir -p %s && rm -f %s/*"):format(dir, dir)))
end

local count = {}
local function seed(kind, name, data)
  local path = ("fuzz/corpus/%s/%s"):format(kind, name)
  local f = assert(io.open(path, "wb"))
  f:write(data)
  f:close()
  count[kind] = (count[kind] or 0) + 1
end

-- csv --------------------------------------------------------------------
clear("fuzz/corpus/csv")
for _, name in ipairs(ls("data", "%.csv$")) do seed("csv", "data-" .. name, read("data/" .. name)) end
for _, name in ipairs(ls("spec/fixtures/valid", "%.csv$")) do
  seed("csv", "fixture-" .. name, read("spec/fixtures/valid/" .. name))
end
local edge = {
  empty = "", header = "a,b,c\n", noeol = "a,b\n1,2", crlf = "a,b\r\n1,2\r\n",
  bom = "\239\187\191a,b\n1,2\n", quoted = 'a,b\n"x, ""y""",2\n',
  newline = 'a,b\n"line\none",2\n"x\r\ny",3\n', unterminated = 'a,b\n"open,2\n',
  after_quote = 'a,b\n"x"y,2\n', inner_quote = 'a,b\nx"y,2\n', lone_cr = "a,b\r1,2\n",
  empty_fields = ",,\n,,\n", blank_lines = "a\n\n\nb\n", nul = "a,b\n\0,2\n",
  utf8 = "名,数\n读书会,12场\n", bad_utf8 = "a\n\255\254\n", long_row = ("x,"):rep(140) .. "x\n",
}
local names = {}
for k in pairs(edge) do names[#names + 1] = k end
table.sort(names)
for _, k in ipairs(names) do seed("csv", "edge-" .. k .. ".csv", edge[k]) end

-- load -------------------------------------------------------------------
clear("fuzz/corpus/load")
local FILES = { "datapackage.json", "meta.csv", "sections.csv", "figures.csv", "quotas.csv",
                "glossary.csv", "members.csv", "places.csv", "people.csv", "events.csv" }
local SEP = "\255\254"
local fixture = {}
for i, name in ipairs(FILES) do
  fixture[i] = read("spec/fixtures/valid/" .. name)
  seed("load", ("%02d-%s"):format(i - 1, name), string.char(i - 1) .. fixture[i])
end
seed("load", "remove-figures", string.char(0x80 + 3))
seed("load", "crlf-bom-figures", "\3\239\187\191" .. fixture[4]:gsub("\n", "\r\n"))
seed("load", "crlf-descriptor", "\0" .. fixture[1]:gsub("\n", "\r\n"))
seed("load", "two-files", "\3" .. fixture[4] .. SEP .. "\6" .. fixture[7])
seed("load", "places-cycle", "\7" .. fixture[8] .. "a,甲,A,village,b,0,0,1\nb,乙,B,village,a,0,0,1\n")
seed("load", "places-chain", "\7" .. fixture[8] .. "a,甲,A,village,b,0,0,1\nb,乙,B,village,qingshi,0,0,1\n")
seed("load", "extra-resource", "\0" .. fixture[1]:gsub('"resources": %[',
  '"resources": [ { "name": "extra", "path": "extra.csv", "schema": { "fields": [ '
  .. '{ "name": "id", "type": "string" }, { "name": "x", "type": "number" } ], '
  .. '"primaryKey": "id" } },', 1) .. SEP .. "\10id,x\na,1.5\nb,-2e3\n")

-- quantity ---------------------------------------------------------------
clear("fuzz/corpus/quantity")
local seen, qs = {}, {}
local function add_q(s)
  if s ~= "" and #s <= 64 and not seen[s] and (s:find("[\128-\255]") or s:find("%d")) then
    seen[s] = true
    qs[#qs + 1] = s
  end
end
for s in read("spec/quantity_spec.lua"):gmatch('"([^"\n\\]*)"') do add_q(s) end
local fig = read("data/figures.csv")
for line in fig:gmatch("[^\n]+") do
  local text = line:match("^[^,]*,[^,]*,([^,]*),")
  if text then add_q(text) end
end
for i = 1, math.min(#qs, 60) do seed("quantity", ("q%02d"):format(i), qs[i]) end

-- scan -------------------------------------------------------------------
clear("fuzz/corpus/scan")
local n = 0
for para in read("spec/fixtures/source.txt"):gmatch("[^\n]+") do
  n = n + 1
  seed("scan", ("source-%02d"):format(n), para)
end
n = 0
for line in read("data/sections.csv"):gmatch("[^\n]+") do
  if #line > 40 and n < 12 then
    n = n + 1
    seed("scan", ("sections-%02d"):format(n), line)
  end
end
seed("scan", "mixed", "共3个，约3000人次，2012年7月1日至3日，1/5，近半个月，30%，百分之三十，一万五千亿")
seed("scan", "invalid-utf8", "12\255万\228\184元，3.5\0亿")

for _, k in ipairs { "csv", "load", "quantity", "scan" } do
  print(("fuzz/corpus/%s: %d seeds"):format(k, count[k] or 0))
end
