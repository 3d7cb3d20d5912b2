--- siqun.writer: the formats and their writers -- which names and file
-- extensions mean which format, the writer of each (loaded on first use),
-- writers of your own, and a document rendered in a format.  siqun.report
-- and siqun.output both use it (report.writer, report.formats ... are these
-- functions).
--
--   local writer = require "siqun.writer"
--   writer.format_name("MD")            --> "markdown"
--   writer.format_of_path("out.jsonl")  --> "ndjson"
--   writer.render(doc, "csv")           --> the text, or nil and a message

local compat = require "siqun.compat"
local ipairs, pairs = compat.ipairs, compat.pairs -- 5.3's ipairs, 5.2's pairs, on every Lua

local M = {}

-- The formats; each is a module siqun.writer.<format>.
M.FORMATS = { "text", "markdown", "csv", "json", "ndjson", "html", "sqlite" }

-- Other names people type for them (any case: "MD" is markdown) ...
M.ALIASES = { txt = "text", md = "markdown", jsonl = "ndjson", htm = "html", db = "sqlite",
              sqlite3 = "sqlite" }
-- ... and the file extensions that imply them (siqun query ... -o x.csv).
M.EXTENSIONS = { txt = "text", md = "markdown", markdown = "markdown", csv = "csv",
                 json = "json", ndjson = "ndjson", jsonl = "ndjson", html = "html",
                 htm = "html", db = "sqlite", sqlite = "sqlite", sqlite3 = "sqlite" }

-- format -> writer { name =, extension =, mediatype =, write = fn, article = bool }
local writers = {}

local NAME = "^[%a_][%w_%-]*$"

local check = require "siqun.check"
local optional, required, argerror = check.optional, check.required, check.arg

--- The writer of format: { name =, extension =, mediatype =, write =,
-- article = (true for sqlite: write(art, path, opts)) }; nil and a message
-- for an unknown format.
function M.writer(format)
  required(format, "string", 1, "writer")
  local name, err = M.format_name(format)
  if not name then return nil, err end
  local w = writers[name]
  if w then return w end
  w = require("siqun.writer." .. name)
  writers[name] = w
  return w
end

--- The format a name stands for: a built-in format or alias in any case
-- ("MD", "jsonl", "htm", "db") or a registered one; nil and a message
-- listing the formats for anything else.
function M.format_name(format)
  required(format, "string", 1, "format_name")
  if writers[format] then return format end
  local lower = format:lower()
  lower = M.ALIASES[lower] or lower
  if M.writer_builtin(lower) or writers[lower] then return lower end
  return nil, ("unknown format '%s' (formats: %s)"):format(format, table.concat(M.formats(), ", "))
end

--- The format a file name's extension implies (out.CSV: csv, x.jsonl:
-- ndjson, a registered format by its extension), or nil.
function M.format_of_path(path)
  required(path, "string", 1, "format_of_path")
  local ext = path:match("%.([%w]+)$")
  if not ext then return nil end
  ext = ext:lower()
  if M.EXTENSIONS[ext] then return M.EXTENSIONS[ext] end
  local names = {}
  for name, w in pairs(writers) do
    if w.user and type(w.extension) == "string" and w.extension:lower() == ext then
      names[#names + 1] = name
    end
  end
  table.sort(names)
  return names[1]
end

--- Registers a writer for format name: w = { write = function(doc, opts)
-- -> string, extension = "txt", mediatype = "text/plain" } (or w the write
-- function itself).  Raises when the format exists.
function M.register_writer(name, w)
  if type(name) ~= "string" or not name:match(NAME) then
    argerror(1, "register_writer", "format name expected", 2)
  end
  if type(w) == "function" then w = { write = w } end
  if type(w) ~= "table" or type(w.write) ~= "function" then
    argerror(2, "register_writer", "function or { write = function } expected", 2)
  end
  if writers[name] or M.writer_builtin(name) or M.ALIASES[name:lower()] then
    error(("format '%s' is already registered"):format(name), 2)
  end
  writers[name] = { name = name, write = w.write, extension = w.extension or name,
                    mediatype = w.mediatype or "text/plain", user = true }
  return true
end

--- True when name is a built-in format.
function M.writer_builtin(name)
  for _, f in ipairs(M.FORMATS) do
    if f == name then return true end
  end
  return false
end

--- The formats, built-in then registered (sorted).
function M.formats()
  local out, extra = {}, {}
  for _, f in ipairs(M.FORMATS) do out[#out + 1] = f end
  for name, w in pairs(writers) do
    if w.user then extra[#extra + 1] = name end
  end
  table.sort(extra)
  for _, f in ipairs(extra) do out[#out + 1] = f end
  return out
end

--- The document doc (see siqun.writer.common) in format (default "text"):
-- a string, or nil and a message for an unknown format or one that needs
-- the whole article (sqlite).
function M.render(doc, format, opts)
  optional(format, "string", 2, "render")
  optional(opts, "table", 3, "render")
  local w, werr = M.writer(format or "text")
  if not w then return nil, werr end
  if w.article then
    return nil, ("the %s format writes a whole dataset, not a document"):format(w.name)
  end
  return w.write(require("siqun.writer.common").prepare(doc, 2), opts or {})
end

return M
