-- The project must not contain the article's sentences.  This spec splits the
-- source text into sentences and clauses and looks for each in every file of
-- the repository.  Only what the dataset records as printed (headings, terms,
-- members, names, figures) may be quoted; everything else is our own words.

local compat = require "siqun.compat"
local utf8 = compat.utf8
local ipairs = compat.ipairs -- 5.3's ipairs on every Lua (siqun.compat)
local V = require "spec.lua_version"

local SOURCE = "../shared/seeds/000_b26fb93847ac64b4.txt"
local MIN_CLAUSE = 8    -- code points: shorter runs are names and set phrases
local MIN_SENTENCE = 6

local read = require("spec.helper.files").read_optional

-- Separators: ASCII and full-width punctuation, quotes, brackets, spaces.
local SEPARATORS = {}
for _, c in utf8.codes(" \t\n,.;:!?()[]\"'，。；：！？、“”‘’【】（）《》—…·") do
  SEPARATORS[c] = true
end
local ENDS = {}
for _, c in utf8.codes("。！？!?\n【】") do ENDS[c] = true end

-- Splits text into runs of non-separator code points (clauses) or runs
-- between sentence ends (sentences), keeping those of at least min code points.
local function pieces(text, stops, min)
  local out, buf = {}, {}
  local function flush()
    if #buf >= min then out[#out + 1] = table.concat(buf) end
    buf = {}
  end
  for _, c in utf8.codes(text) do
    if stops[c] then flush() else buf[#buf + 1] = utf8.char(c) end
  end
  flush()
  return out
end

local function strip(s)   -- sentences compared without their inner spacing
  return (s:gsub("^%s+", ""):gsub("%s+$", ""))
end

local function repo_files()
  local p = assert(V.popen("git ls-files -co --exclude-standard 2>/dev/null"))
  local files = {}
  for line in p:lines() do files[#files + 1] = line end
  p:close()
  table.sort(files)
  return files
end

-- What the dataset quotes as printed (and any part of it) may appear verbatim:
-- returns them joined by NUL bytes, to search with string.find.
local function printed_values()
  local core = require "siqun.core"
  local ds = core.open()
  local allowed = { "" }
  local columns = { "text", "heading", "term", "name", "role_zh", "rank_zh", "title" }
  for _, name in ipairs(ds:tables()) do
    local t = ds:table(name)
    for i = 1, #t do
      local r = t[i]
      for _, col in ipairs(columns) do
        local v = r[col]
        if type(v) == "string" then allowed[#allowed + 1] = v end
      end
    end
  end
  return table.concat(allowed, "\0") .. "\0"
end

describe("copyright", function()
  local article = read(SOURCE)
  if not article then
    pending("source text not found at " .. SOURCE .. ": skipped")
    return
  end
  article = article:gsub("^\239\187\191", ""):gsub("\r\n", "\n")
  -- The page chrome around the article (navigation, footer) is not the article.
  local body = article:match("^(.-)\n[^\n]*新浪简介") or article

  it("no file of the repository contains a sentence or clause of the article", function()
    local allowed = printed_values()
    local needles = {}
    for _, s in ipairs(pieces(body, ENDS, MIN_SENTENCE)) do needles[#needles + 1] = strip(s) end
    for _, s in ipairs(pieces(body, SEPARATORS, MIN_CLAUSE)) do needles[#needles + 1] = s end
    local found = {}
    for _, file in ipairs(repo_files()) do
      local text = read(file)
      if text then
        for _, n in ipairs(needles) do
          if #n > 0 and not allowed:find(n, 1, true) and text:find(n, 1, true) then
            found[#found + 1] = file .. ": " .. n
          end
        end
      end
    end
    assert.are.same({}, found)
  end)

  it("would notice a copied sentence", function()
    local sentence = pieces(body, ENDS, 20)[3]
    assert.is_truthy(sentence)
    local hit = false
    for _, n in ipairs(pieces(body, SEPARATORS, MIN_CLAUSE)) do
      if sentence:find(n, 1, true) then hit = true end
    end
    assert.is_true(hit)
  end)
end)
