--- siqun.writer.han: which parts of a text are Chinese.  The HTML writer
-- marks them lang="zh" inside an English page, because the browser picks
-- the CJK font (Simplified glyph forms), the line-breaking rules and the
-- screen reader's voice by language.
--
-- A word (between spaces and letters of other scripts) that holds a Han
-- character is Chinese, with its digits (近300万户, 2011年12月, 近30%) but
-- not the ASCII punctuation at its edges: in "outlet 云南日报 (Yunnan
-- Daily)" the run is 云南日报, in "1/5 × (5年内 ÷ 一年)" 5年内 and 一年.
-- Two Chinese words with only spaces between are one run.

local M = {}

-- Code points that belong with Chinese text: CJK radicals, symbols and
-- punctuation (、。「」), Bopomofo and strokes, the ideographs and their
-- extensions, compatibility ideographs and forms, full-width forms (，：（）).
local HAN = {
  { 0x2E80, 0x2FDF }, { 0x3000, 0x303F }, { 0x3100, 0x312F }, { 0x31A0, 0x31EF },
  { 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF }, { 0xF900, 0xFAFF }, { 0xFE30, 0xFE4F },
  { 0xFF00, 0xFFEF }, { 0x20000, 0x3FFFF },
}

-- Letters of other scripts (a run never crosses them): Latin with its
-- accented and pinyin forms, Greek, Cyrillic.
local LETTER = {
  { 0x41, 0x5A }, { 0x61, 0x7A }, { 0xC0, 0xD6 }, { 0xD8, 0xF6 }, { 0xF8, 0x24F },
  { 0x370, 0x52F }, { 0x1E00, 0x1EFF },
}

local function within(ranges, c)
  for _, r in ipairs(ranges) do
    if c >= r[1] and c <= r[2] then return true end
  end
  return false
end

-- The characters of s (valid UTF-8) as { seq, code } pairs.
local function chars(s)
  local out, pos = {}, 1
  while pos <= #s do
    local b = s:byte(pos)
    local n = b < 0x80 and 1 or b >= 0xF0 and 4 or b >= 0xE0 and 3 or 2
    local c = n == 1 and b or b % (n == 2 and 0x20 or n == 3 and 0x10 or 0x08)
    for k = 1, n - 1 do c = c * 64 + (s:byte(pos + k) or 0x80) % 64 end
    out[#out + 1] = { s:sub(pos, pos + n - 1), c }
    pos = pos + n
  end
  return out
end

--- True when s holds a character of Chinese text (see HAN).
function M.has_han(s)
  if not s:find("[\226-\240]") then return false end -- (no 3- or 4-byte sequence)
  for _, ch in ipairs(chars(s)) do
    if within(HAN, ch[2]) then return true end
  end
  return false
end

-- True when cs[b] is a ')' that closes a '(' inside cs[a..b-1]: 县(市、区)
-- keeps its bracket.
local function closes(cs, a, b)
  if cs[b][1] ~= ")" then return false end
  local depth = 0
  for k = a, b - 1 do
    if cs[k][1] == "(" then depth = depth + 1 elseif cs[k][1] == ")" then depth = depth - 1 end
  end
  return depth > 0
end

-- ASCII punctuation at the edge of a word stays out of its run.
local function edge(ch, k)
  local c = ch[2]
  return k ~= "han" and c < 0x80 and not (c >= 0x30 and c <= 0x39)
end

-- The indexes of cs that are Chinese (zh[k] = true).  Words: between
-- spaces and letters; a word with a Han character is Chinese, less the
-- ASCII punctuation at its edges; the spaces between two Chinese words are
-- too (情的交融 心的呼应 is one run).
local function marks(cs, kind)
  local zh, last = {}, nil
  local i = 1
  while i <= #cs do
    if kind[i] == "letter" then
      last = nil
      i = i + 1
    elseif cs[i][1]:find("^%s$") then
      i = i + 1
    else
      local j, has = i, false
      while j <= #cs and kind[j] ~= "letter" and not cs[j][1]:find("^%s$") do
        has = has or kind[j] == "han"
        j = j + 1
      end
      local before = last
      last = nil
      if has then
        local a, b = i, j - 1
        while edge(cs[a], kind[a]) do a = a + 1 end
        while edge(cs[b], kind[b]) and cs[b][1] ~= "%" and not closes(cs, a, b) do b = b - 1 end
        if before and a == i then a = before + 1 end -- (join the previous word)
        for k = a, b do zh[k] = true end
        if b == j - 1 then last = b end
      end
      i = j
    end
  end
  return zh
end

--- s cut into runs { { text =, zh = bool }, ... } whose texts join to s;
-- zh runs are the Chinese ones.  Text without Han characters is one run.
function M.runs(s)
  if not M.has_han(s) then return { { text = s, zh = false } } end
  local cs = chars(s)
  local kind = {} -- "han", "letter" or "other"
  for i, ch in ipairs(cs) do
    local c = ch[2]
    kind[i] = within(HAN, c) and "han" or (within(LETTER, c) and "letter" or "other")
  end
  local zh = marks(cs, kind)
  local out = {}
  for k, ch in ipairs(cs) do
    local z = zh[k] == true
    local prev = out[#out]
    if prev and prev.zh == z then
      prev.parts[#prev.parts + 1] = ch[1]
    else
      out[#out + 1] = { zh = z, parts = { ch[1] } }
    end
  end
  for k, r in ipairs(out) do out[k] = { text = table.concat(r.parts), zh = r.zh } end
  return out
end

return M
