--- siqun.scan_file: the quantities of a file of any size, read in pieces,
-- exactly as siqun.scan would find them in its whole text (the same
-- siqun.Quantity values, with the same absolute 1-based byte positions).
-- Loaded by siqun.scan_file on first use (docs/api.md).
--
--   for q in siqun.scan_file("big.txt") do print(q.start, q.text) end
--   for q in siqun.scan_file(io.stdin, { chunk = 65536 }) do ... end
--
-- How a piece is cut.  The scanner reads a quantity from left to right and
-- looks around it: one character back, and forward as far as the
-- expression (and a failed attempt) goes, with no fixed limit (a run of
-- digits can be any length).  A piece is therefore cut only just after a
-- break: a character that no quantity contains, no word of the parser
-- begins or continues with, and no rule of the scanner looks past (ASCII
-- letters, whitespace and control characters, and the CJK punctuation
-- 。，、；！？).
-- The whole-text scan reaches such a break at a position where it tries
-- nothing (no match contains it, no numeral run skipped over it), and
-- everything it decides before the break depends only on the text up to
-- the break: so the text up to the last break of what has been read is
-- scanned as the whole text would be, and the scan goes on from just after
-- the break, with a few bytes before it kept for the one character the
-- scanner looks back at.  When what has been read has no break after the
-- point reached, more is read (twice as much each time), so a quantity of
-- any length is found whole; memory is then bounded by the chunk size plus
-- the longest stretch without a break.  spec/scan_file_spec.lua checks the
-- result against siqun.scan on random texts, with pieces down to one byte.

local compat = require "siqun.compat"
local core = require "siqun.core"
local files = require "siqun.files"
local check = require "siqun.check"

local scan, match, max = core.scan, string.match, math.max

local M = {}

M.CHUNK = 1048576

-- Each break, found last in a string from init on: a pattern anchored at
-- init whose capture is where the break begins, and its length.  (Byte
-- ranges, not %c, whose bytes depend on the C locale; a three-byte
-- character is matched whole: its lead byte cannot be the middle of
-- another character.)
local NUL = ("\0"):find("[%z]") and "%z" or "\0" -- (5.1's patterns cannot hold "\0")
local BREAKS = {
  { "^.*()[" .. NUL .. "\1-\31\127 A-Za-z]", 1 }, -- ASCII letters, whitespace, controls
  { "^.*()\227\128[\129\130]", 3 },        -- 、。
  { "^.*()\239\188[\129\140\155\159]", 3 }, -- ！，；？
}

-- How far back the first search for a break looks: a break is nearly
-- always near the end, and a search costs what it passes over.
local TAIL = 65536

-- The index of the last byte of the last break in buf that begins at or
-- after from, or nil.
local function last_break(buf, from)
  local function search(init)
    local best
    for i = 1, #BREAKS do
      local p = match(buf, BREAKS[i][1], init)
      if p then
        p = p + BREAKS[i][2] - 1
        if not best or p > best then best = p end
      end
    end
    return best
  end
  local tail = #buf - TAIL
  if tail > from then
    local p = search(tail)
    if p then return p end
  end
  return search(from)
end

-- Bytes kept before the point the scan goes on from (the scanner looks one
-- character back).
local CONTEXT = 8

--- An iterator over the quantities of src (a path, or an open file handle
-- read with :read(n), such as io.stdin), with opts.chunk (bytes read at a
-- time, 1 MiB by default); or nil, message, code when the path cannot be
-- read or is not a regular file (a FIFO, device or directory is refused
-- at once).  A read error while scanning raises.  The fourth value closes
-- the file when a Lua 5.4 for loop is left early (a handle given is left
-- open).
function M.scan_file(src, opts)
  if opts ~= nil and type(opts) ~= "table" then
    check.type(2, "scan_file", "table", opts)
  end
  local chunk = opts and opts.chunk or M.CHUNK
  if type(chunk) ~= "number" or chunk < 1 or chunk ~= math.floor(chunk) or chunk >= 2 ^ 53 then
    error(("bad option 'chunk' to 'scan_file' (positive integer expected, got %s)")
          :format(tostring(chunk)), 2)
  end
  local handle, stream, name
  if type(src) == "string" then
    if src == "" then check.arg(1, "scan_file", "path expected, got an empty string") end
    local s, err, code = files.open(src)
    if not s then return nil, err, code end
    handle, stream, name = s, s, src
  elseif io.type(src) == "file" then
    handle, name = src, src == io.stdin and "standard input" or "file"
  else
    check.arg(1, "scan_file", "string or file expected, got "
              .. (io.type(src) == "closed file" and "closed file" or type(src)))
  end

  local function read(n)
    local data, err = handle:read(n)
    if data == nil and err ~= nil then error(name .. ": " .. tostring(err), 0) end
    return data
  end

  -- buf holds the bytes base + 1 .. base + #buf of the file; the scan goes
  -- on from buf[from], a position the whole-text scan also reaches.
  local buf, base, from, searched, eof = "", 0, 1, 1, false
  local it -- core.scan over the current piece

  -- Reads until a break after from (or the end), and sets it to the scan
  -- of the piece up to it.
  local function next_piece()
    local want = chunk
    while true do
      local data = read(want)
      if data == nil then
        eof = true
        it = scan(buf, from, base)
        buf = ""
        return
      end
      buf = buf .. data
      -- (data, its copy in buf, the piece cut from it, and the read's buffer)
      compat.gc_paid(4 * #data / 1024)
      local cut = last_break(buf, max(from, searched))
      if cut then
        it = scan(buf:sub(1, cut), from, base)
        local keep = max(1, cut - CONTEXT + 1)
        buf = buf:sub(keep)
        base = base + keep - 1
        from = cut - keep + 2
        searched = from
        return
      end
      -- (a break may straddle the end of what has been read)
      searched = max(from, #buf - 1)
      want = max(chunk, #buf)
    end
  end

  local function iter()
    while true do
      if it then
        local q = it()
        if q then return q end
        it = nil
      end
      if eof then
        if stream then stream:close() end
        return nil
      end
      next_piece()
    end
  end
  return iter, nil, nil, stream
end

return M
