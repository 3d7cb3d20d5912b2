--- siqun.text: terminal display helpers.  `#s` and `%-6s` count bytes, but
-- a CJK character is three bytes and two columns; these functions count
-- columns (East Asian Wide and Fullwidth characters are 2, combining marks
-- and controls 0, everything else 1; invalid UTF-8 bytes count 1 each).

local compat = require "siqun.compat"
local utf8 = compat.utf8
local ipairs = compat.ipairs -- 5.3's ipairs (through __index) on every Lua

local M = {}

-- Code point ranges two columns wide (East Asian Width W and F), sorted.
local WIDE = {
  { 0x1100, 0x115F }, { 0x231A, 0x231B }, { 0x2329, 0x232A },
  { 0x23E9, 0x23EC }, { 0x23F0, 0x23F0 }, { 0x23F3, 0x23F3 },
  { 0x25FD, 0x25FE }, { 0x2614, 0x2615 }, { 0x2648, 0x2653 },
  { 0x267F, 0x267F }, { 0x2693, 0x2693 }, { 0x26A1, 0x26A1 },
  { 0x26AA, 0x26AB }, { 0x26BD, 0x26BE }, { 0x26C4, 0x26C5 },
  { 0x26CE, 0x26CE }, { 0x26D4, 0x26D4 }, { 0x26EA, 0x26EA },
  { 0x26F2, 0x26F3 }, { 0x26F5, 0x26F5 }, { 0x26FA, 0x26FA },
  { 0x26FD, 0x26FD }, { 0x2705, 0x2705 }, { 0x270A, 0x270B },
  { 0x2728, 0x2728 }, { 0x274C, 0x274C }, { 0x274E, 0x274E },
  { 0x2753, 0x2755 }, { 0x2757, 0x2757 }, { 0x2795, 0x2797 },
  { 0x27B0, 0x27B0 }, { 0x27BF, 0x27BF }, { 0x2B1B, 0x2B1C },
  { 0x2B50, 0x2B50 }, { 0x2B55, 0x2B55 }, { 0x2E80, 0x303E },
  { 0x3041, 0x33FF }, { 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF },
  { 0xA000, 0xA4CF }, { 0xA960, 0xA97F }, { 0xAC00, 0xD7A3 },
  { 0xF900, 0xFAFF }, { 0xFE10, 0xFE19 }, { 0xFE30, 0xFE6F },
  { 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x16FE0, 0x16FE4 },
  { 0x17000, 0x18CFF }, { 0x1B000, 0x1B2FF }, { 0x1F004, 0x1F004 },
  { 0x1F0CF, 0x1F0CF }, { 0x1F18E, 0x1F18E }, { 0x1F191, 0x1F19A },
  { 0x1F200, 0x1F251 }, { 0x1F300, 0x1F64F }, { 0x1F680, 0x1F6FF },
  { 0x1F7E0, 0x1F7EB }, { 0x1F90C, 0x1F9FF }, { 0x1FA70, 0x1FAFF },
  { 0x20000, 0x2FFFD }, { 0x30000, 0x3FFFD },
}

-- Zero-width code points: combining marks, joiners, variation selectors.
local ZERO = {
  { 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD },
  { 0x1AB0, 0x1AFF }, { 0x1DC0, 0x1DFF }, { 0x200B, 0x200F },
  { 0x2028, 0x202E }, { 0x2060, 0x2064 }, { 0x20D0, 0x20FF },
  { 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F }, { 0xFEFF, 0xFEFF },
  { 0xE0100, 0xE01EF },
}

local function in_ranges(ranges, c)
  local lo, hi = 1, #ranges
  while lo <= hi do
    local mid = compat.idiv(lo + hi, 2)
    local r = ranges[mid]
    if c < r[1] then
      hi = mid - 1
    elseif c > r[2] then
      lo = mid + 1
    else
      return true
    end
  end
  return false
end

--- Columns taken by code point c.
function M.cpwidth(c)
  if c < 0x20 or (c >= 0x7F and c < 0xA0) then return 0 end
  if c < 0x300 then return 1 end
  if in_ranges(ZERO, c) then return 0 end
  if in_ranges(WIDE, c) then return 2 end
  return 1
end

-- Calls fn(seq, width) for each character of s (an invalid byte is a
-- sequence of its own, width 1).
local function each_char(s, fn)
  local pos, len = 1, #s
  while pos <= len do
    local b = s:byte(pos)
    local n = b < 0x80 and 1 or b >= 0xF0 and 4 or b >= 0xE0 and 3 or b >= 0xC2 and 2 or 0
    local w, seq
    if n > 0 and pos + n - 1 <= len then
      seq = s:sub(pos, pos + n - 1)
      local ok, c = pcall(utf8.codepoint, seq)
      if ok then
        w = M.cpwidth(c)
      else
        seq = nil
      end
    end
    if not seq then
      seq, n, w = s:sub(pos, pos), 1, 1
    end
    if fn(seq, w) == false then return end
    pos = pos + n
  end
end

--- Display width of s in terminal columns.
function M.width(s)
  s = tostring(s)
  if not s:find("[\128-\255%c]") then return #s end
  local total = 0
  each_char(s, function(_, w) total = total + w end)
  return total
end

--- s padded with spaces to width w columns; align is "left" (default),
-- "right" or "center".  A wider s is returned as it is.
function M.pad(s, w, align)
  s = tostring(s)
  local gap = w - M.width(s)
  if gap <= 0 then return s end
  if align == "right" then
    return (" "):rep(gap) .. s
  elseif align == "center" then
    local left = compat.idiv(gap, 2)
    return (" "):rep(left) .. s .. (" "):rep(gap - left)
  end
  return s .. (" "):rep(gap)
end

--- s cut to at most w columns, ending in ellipsis ("…" by default) when cut.
function M.truncate(s, w, ellipsis)
  s = tostring(s)
  if M.width(s) <= w then return s end
  ellipsis = ellipsis or "…"
  local room = w - M.width(ellipsis)
  if room < 0 then return "" end
  local out, used = {}, 0
  each_char(s, function(seq, cw)
    if used + cw > room then return false end
    out[#out + 1] = seq
    used = used + cw
  end)
  return table.concat(out) .. ellipsis
end

--- truncate then pad: s in exactly w columns.
function M.fit(s, w, align)
  return M.pad(M.truncate(s, w), w, align)
end

--- s wrapped into lines of at most w columns (an array of strings).  Breaks
-- at spaces, and anywhere between two wide (CJK) characters; a word wider
-- than w is split.
function M.wrap(s, w)
  s = tostring(s)
  local lines = {}
  local line, lw = {}, 0
  local function flush()
    local l = table.concat(line):gsub("%s+$", "")
    lines[#lines + 1] = l
    line, lw = {}, 0
  end
  -- Tokens: runs of spaces, wide characters one by one, other runs.
  local tokens = {}
  local cur, curw, curkind = {}, 0, nil
  local function push()
    if #cur > 0 then
      tokens[#tokens + 1] = { text = table.concat(cur), w = curw, kind = curkind }
    end
    cur, curw, curkind = {}, 0, nil
  end
  each_char(s, function(seq, cw)
    local kind = seq:match("^%s$") and "space" or (cw == 2 and "wide" or "word")
    if kind ~= curkind or kind == "wide" then push() end
    cur[#cur + 1], curw, curkind = (kind == "space" and " " or seq), curw + cw, kind
  end)
  push()
  for _, t in ipairs(tokens) do
    if t.kind == "space" then
      if lw > 0 and lw + 1 <= w then
        line[#line + 1], lw = " ", lw + 1
      end
    elseif lw + t.w <= w then
      line[#line + 1], lw = t.text, lw + t.w
    elseif t.w <= w then
      flush()
      line[#line + 1], lw = t.text, t.w
    else -- split a long word
      each_char(t.text, function(seq, cw)
        if lw + cw > w and lw > 0 then flush() end
        line[#line + 1], lw = seq, lw + cw
      end)
    end
  end
  if lw > 0 or #lines == 0 then flush() end
  return lines
end

--- Lines of a table: rows is an array of arrays of cells (tostring'd);
-- opts.align = { "left", "right", ... } per column; opts.sep = column
-- separator (two spaces by default); opts.max = { widths } caps columns
-- (cells are truncated with "…"); opts.indent = a prefix for every line.
-- The last column is not padded, so lines carry no trailing spaces.
function M.columns(rows, opts)
  opts = opts or {}
  local align, max = opts.align or {}, opts.max or {}
  local sep, indent = opts.sep or "  ", opts.indent or ""
  local ncol = 0
  for _, row in ipairs(rows) do ncol = math.max(ncol, #row) end
  local cells, widths = {}, {}
  for r, row in ipairs(rows) do
    cells[r] = {}
    for c = 1, ncol do
      local v = row[c]
      local s = v == nil and "" or tostring(v)
      if max[c] then s = M.truncate(s, max[c]) end
      cells[r][c] = s
      widths[c] = math.max(widths[c] or 0, M.width(s))
    end
  end
  local lines = {}
  for r = 1, #rows do
    local parts = {}
    for c = 1, ncol do
      local s = cells[r][c]
      if c < ncol or align[c] == "right" or align[c] == "center" then
        s = M.pad(s, widths[c], align[c])
      end
      parts[c] = s
    end
    lines[r] = (indent .. table.concat(parts, sep)):gsub("%s+$", "")
  end
  return lines
end

--- A number as text: integers (and integral floats below 2^53) in full,
-- without exponent, other numbers with up to 14 significant digits.  With
-- sep (e.g. ","), digits of the integer part are grouped by thousands.
function M.number(v, sep)
  if type(v) ~= "number" then return tostring(v) end
  local s
  local i = compat.tointeger(v)
  if i and math.abs(i) < 2 ^ 53 then
    s = string.format("%d", i)
  elseif v ~= v then
    return "nan"
  elseif v == math.huge or v == -math.huge then
    return v > 0 and "inf" or "-inf"
  else
    s = string.format("%.14g", v)
    if s:find("e") and math.abs(v) < 1e15 and math.abs(v) >= 1 then
      s = string.format("%.0f", v)
    end
  end
  if sep and sep ~= "" then
    local sign, int, rest = s:match("^(-?)(%d+)(.*)$")
    if int and #int > 3 then
      int = int:reverse():gsub("(%d%d%d)", "%1" .. sep:reverse()):reverse()
      if int:sub(1, #sep) == sep then int = int:sub(#sep + 1) end
      s = sign .. int .. rest
    end
  end
  return s
end

return M
