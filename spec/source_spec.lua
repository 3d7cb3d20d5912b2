-- Stand-off spans against the source article.  The article is not in the
-- repository; CI keeps it in ../shared beside the clone.  Without it these
-- specs are skipped (and say so).

local compat = require "siqun.compat"
local utf8 = compat.utf8
local ipairs, pairs = compat.ipairs, compat.pairs -- 5.3's ipairs and 5.2's pairs on every Lua (siqun.compat)
local siqun = require "siqun"

local SOURCE = "../shared/seeds/000_b26fb93847ac64b4.txt"

local read = require("spec.helper.files").read_optional

local function write_temp(s)
  local path = os.tmpname()
  local f = assert(io.open(path, "wb"))
  f:write(s)
  f:close()
  return path
end

-- The printed text each table's span must hold.
local SPAN_FIELD = {
  sections = "heading", figures = "text", quotas = "text", glossary = "term",
  members = "text", places = "name", people = "name", events = "text",
  omissions = "text",
}

local text = read(SOURCE)

if not text then
  pending("source text not found: skipped (" .. SOURCE .. ")")
  return
end

describe("the source text", function()
  local art = assert(siqun.open())

  it("attaches when its SHA-256 matches", function()
    assert.is_false(art:attached())
    assert.is_true(art:attach(SOURCE))
    assert.is_true(art:attached())
  end)

  it("has the SHA-256, size and length the descriptor records", function()
    local desc = assert(read("data/datapackage.json"))
    local sha = desc:match('"sha256"%s*:%s*"(%x+)"')
    local bytes = tonumber(desc:match('"bytes"%s*:%s*(%d+)'))
    local cps = tonumber(desc:match('"codepoints"%s*:%s*(%d+)'))
    assert.equal(sha, art.meta.source_sha256)
    assert.equal(sha, art:source_info().sha256)
    assert.equal(bytes, art.meta.source_bytes)
    assert.equal(cps, art.meta.source_codepoints)
    local norm = text:gsub("^\239\187\191", ""):gsub("\r\n", "\n")
    assert.equal(bytes, #norm)
    assert.equal(cps, utf8.len(norm))
  end)

  local names = {}
  for name in pairs(SPAN_FIELD) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do
    local field = SPAN_FIELD[name]
    it("holds each " .. name .. " record's " .. field .. " at its span", function()
      art:attach(SOURCE)
      for i, r in ipairs(art:table(name)) do
        local src = r:source()
        assert.equal(r[field], src, ("%s[%d] %s"):format(name, i, tostring(r.id or r.term)))
        local sp = r.span
        assert.equal(src, art:slice(sp.start, sp.stop))
      end
    end)
  end

  it("gives each section a body that holds its heading", function()
    art:attach(SOURCE)
    for _, s in ipairs(art.sections) do
      local body = art:slice(s.body_start, s.body_end)
      assert.is_truthy(body:find(s.heading, 1, true), s.number)
    end
  end)

  it("also attaches with CRLF line ends and a BOM", function()
    local other = assert(siqun.open())
    local path = write_temp("\239\187\191" .. text:gsub("\n", "\r\n"))
    local ok, err = pcall(other.attach, other, path)
    os.remove(path)
    assert.is_true(ok, err)
    local f = other.figures[1]
    assert.equal(f.text, f:source())
  end)

  it("refuses a modified text", function()
    local other = assert(siqun.open())
    local path = write_temp(text .. "x")
    local ok, err = pcall(other.attach, other, path)
    os.remove(path)
    assert.is_false(ok)
    assert.is_string(err)
    assert.is_false(other:attached())
    assert.has_error(function() other.figures[1]:source() end)
    -- one changed character in the middle
    local mid = compat.idiv(#text, 2)
    local changed = text:sub(1, mid) .. (text:sub(mid + 1, mid + 1) == "a" and "b" or "a")
                    .. text:sub(mid + 2)
    assert.has_error(function() other:attach_text(changed) end)
  end)

  it("returns nil and a message for an unreadable file", function()
    local other = assert(siqun.open())
    local ok, err = other:attach("/nonexistent/article.txt")
    assert.is_nil(ok)
    assert.matches("/nonexistent/article.txt", err, 1, true)
    ok, err = other:attach("/")
    assert.is_nil(ok)
    assert.is_string(err)
    assert.is_false(other:attached())
  end)
end)
