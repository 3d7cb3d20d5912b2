--- siqun.files: the one way siqun writes a user's file, and reads one of
-- unknown kind and size (docs/api.md, "siqun.files").  The work is done in
-- C (csrc/lua/lsq_file.c, lsq_filetemp.c, lsq_filestream.c: core.files); this
-- module checks the arguments and runs save_with's writer.
--
--   local files = require "siqun.files"
--   files.kind("out.csv")                    -- "file", "fifo", ... or nil
--   files.check("out.csv", { force = f })    -- true | nil, message, code
--   files.save("out.csv", text, { force = f })
--   files.save_with("out.db", function(tmp) ... return true end, opts)
--   files.read("article.txt", { max = 1e6 }) -- string | nil, message, code
--   files.open("big.txt"):read(1048576)      -- a regular file in pieces
--   files.tty_columns(io.stdout)             -- columns, or nil
--
-- Expected failures return nil, a message that names the user's path (and
-- never a temporary file) and a code: "exists" (without force),
-- "notregular" (a directory, FIFO, device, socket or symbolic link: never
-- replaced, nor read), "nodir" (no such directory), "toolarge" (read: more
-- than max bytes), "changed" (save_with: the writer moved its file), or the
-- errno name of a system error ("EACCES", "ENOSPC").  Callers add their
-- own advice ("use --force to replace it").  Misuse raises.

local C = require("siqun.core").files

local M = {}

local check = require "siqun.check"
local argerror, required = check.arg, check.required

-- (Both raise at the caller of the function that calls them: level 3.)
local function check_path(path, fname)
  required(path, "string", 1, fname, 3)
  if path == "" then argerror(1, fname, "path expected, got an empty string", 3) end
  if path:find("\0", 1, true) then
    argerror(1, fname, "path expected, got a string with a NUL byte", 3)
  end
end

local function check_opts(opts, n, fname)
  if opts ~= nil and type(opts) ~= "table" then
    argerror(n, fname, "table expected, got " .. type(opts), 3)
  end
  return opts or {}
end

--- The kind of the file at path, without following a symbolic link:
-- "file", "directory", "fifo", "symlink", "character device", "block
-- device" or "socket"; nil when there is nothing; nil, message, errno
-- name when it cannot be told (a directory on the way not searchable).
function M.kind(path)
  check_path(path, "kind")
  return C.kind(path)
end

--- What save would refuse, checked before anything is rendered: true, or
-- nil, message, code ("exists" unless opts.force; "notregular", even with
-- force; "nodir"; a system error such as "EACCES" for a directory that
-- cannot be written).  The file is never opened to decide.
function M.check(path, opts)
  check_path(path, "check")
  opts = check_opts(opts, 2, "check")
  return C.check(path, opts.force and true or false)
end

--- Writes data (a string, or an array of strings written one after the
-- other) to path: true, or nil, message, code.  A new file is made so
-- that no existing one is ever replaced without opts.force, even by
-- another writer at the same moment; with opts.force only a regular file
-- is replaced, keeping its permission bits.  Nothing partial is ever seen
-- at path.  opts.named = true uses the portable way (a hidden named
-- temporary) even where Linux's O_TMPFILE works.
function M.save(path, data, opts)
  check_path(path, "save")
  if type(data) == "table" then
    for i = 1, #data do
      if type(data[i]) ~= "string" then
        argerror(2, "save", ("string expected at index %d, got %s"):format(i, type(data[i])))
      end
    end
  elseif type(data) ~= "string" then
    argerror(2, "save", "string or table expected, got " .. type(data))
  end
  opts = check_opts(opts, 3, "save")
  return C.save(path, data, opts.force and true or false, opts.named and true or false)
end

--- For a writer that must write a file itself (SQLite opens a path):
-- fn(temp_path) writes the whole file at temp_path, a new empty file
-- beside path, and returns true (or nil and a message, which save_with
-- returns); the file is then put in place under save's rules.  The
-- temporary (and an SQLite -journal, -wal or -shm beside it) is removed on
-- every failure, and when fn raises, whose error then propagates.  While
-- it exists, SIGINT, SIGTERM, SIGHUP and SIGQUIT wait (they arrive once it
-- is gone).  Returns true, or nil, message, code (fn's failure: its
-- message and its code, or "failed").
function M.save_with(path, fn, opts)
  check_path(path, "save_with")
  required(fn, "function", 2, "save_with")
  opts = check_opts(opts, 3, "save_with")
  local force = opts.force and true or false
  local t, terr, tcode
  local ok, res, msg, code = pcall(function()
    t, terr, tcode = C.temp(path, force)
    if not t then return nil end
    return fn(t:path())
  end)
  if not t then
    if not ok then error(res, 0) end -- (out of memory before the file was made)
    return nil, terr, tcode
  end
  if not ok then
    t:discard()
    error(res, 0)
  end
  if not res then
    t:discard()
    return nil, msg ~= nil and tostring(msg) or (path .. ": the writer failed"), code or "failed"
  end
  return t:commit()
end

--- The whole content of the regular file at path (symbolic links
-- followed): a string, or nil, message, code.  A FIFO, device, directory
-- or socket is refused without blocking ("notregular"); a file of more
-- than opts.max bytes is refused before it is read ("toolarge").
function M.read(path, opts)
  check_path(path, "read")
  opts = check_opts(opts, 2, "read")
  local max = opts.max
  if max ~= nil and (type(max) ~= "number" or max < 0 or max ~= max) then
    error(("bad option 'max' to 'read' (non-negative number expected, got %s)")
          :format(tostring(max)), 2)
  end
  if max ~= nil then max = max >= 2 ^ 53 and nil or math.floor(max) end
  return C.read(path, max)
end

--- The regular file at path open for reading in pieces: a
-- siqun.FileStream (s:read(n) -> up to n bytes, nil at the end; s:size();
-- s:close(), also by the garbage collector and on leaving the scope of a
-- <close> variable), or nil, message, code as read gives them.
function M.open(path)
  check_path(path, "open")
  return C.open(path)
end

--- The width in columns of the terminal the Lua file handle fh writes to
-- (isatty and TIOCGWINSZ), or nil when it is no terminal (or closed).
function M.tty_columns(fh)
  local t = io.type(fh)
  if t == "closed file" then return nil end
  if t ~= "file" then
    argerror(1, "tty_columns", "file expected, got " .. type(fh))
  end
  return C.tty_columns(fh)
end

return M
