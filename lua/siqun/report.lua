--- siqun.report: reports and the writers that turn them into text,
-- Markdown, CSV, JSON, HTML or an SQLite database.
--
--   local siqun = require "siqun"
--   local report = require "siqun.report"
--   local art = siqun.open()
--   print(report.run("quotas", art, "text"))
--   io.open("figures.html", "w"):write(report.run("figures", art, "html"))
--   report.sqlite(art, "siqun.db")                    -- the whole dataset
--
--   report.register("big", function(art, opts)
--     local rows = {}
--     for _, f in ipairs(art.figures) do
--       if (f.value or 0) >= (opts.min or 1e6) then rows[#rows + 1] = f end
--     end
--     return { title = "Big figures", blocks = {
--       { kind = "table", name = "big", columns = {
--           { name = "id" }, { name = "text" }, { name = "value", type = "number" } },
--         rows = rows } } }
--   end, "Figures of a million and more")
--
-- A report is function(art, opts) -> document (see siqun.writer.common for
-- the document's shape and docs/reports.md for the whole story).  Built-in
-- reports live in siqun.reports.<name>; a module of that name found on
-- package.path is a report too (so dropping one there makes it reachable
-- from the CLI without registering it).  Misuse raises; expected failures
-- (an unknown report or format, an existing output file) return nil and a
-- message.

local common = require "siqun.writer.common"
local writers = require "siqun.writer"
local compat = require "siqun.compat"
local ipairs, pairs = compat.ipairs, compat.pairs -- 5.3's ipairs, 5.2's pairs, on every Lua

local M = {}

-- The built-in reports, in the order `siqun report --list` shows them.
M.BUILTIN = { "summary", "figures", "quotas", "glossary", "timeline", "people", "consistency" }

-- The formats and the writers' registry (siqun.writer): report.FORMATS,
-- report.writer(format), report.format_name ... are the same functions.
for _, k in ipairs { "FORMATS", "ALIASES", "EXTENSIONS", "writer", "format_name",
                     "format_of_path", "register_writer", "writer_builtin", "formats",
                     "render" } do
  M[k] = writers[k]
end

-- name -> { name =, description =, fn = }
local registry = {}

local NAME = "^[%a_][%w_%-]*$"

local argcheck = require "siqun.check"
local optional, required, argerror = argcheck.optional, argcheck.required, argcheck.arg

-- nil, message, code of siqun.files, with the advice of the Lua API for
-- an existing file.
local function refused(msg, code)
  if code == "exists" then msg = msg .. " (pass force to replace it)" end
  return nil, msg, code
end

--- Registers report fn under name (letters, digits, _ and -, starting with
-- a letter or _), with a one-line description.  Raises when the name is
-- taken: built-in names (and modules siqun.reports.<name>) are reserved;
-- call unregister first to replace a report you registered.
function M.register(name, fn, description)
  if type(name) ~= "string" or not name:match(NAME) then
    argerror(1, "register", "report name expected (letters, digits, '_' and '-'), got "
             .. (type(name) == "string" and ("'" .. name .. "'") or type(name)), 2)
  end
  required(fn, "function", 2, "register")
  optional(description, "string", 3, "register")
  -- (a built-in report not loaded yet is taken too, wherever the layer
  -- comes from: files, package.preload, or a host without either; and so
  -- is a report module found on package.path)
  local builtin = false
  for _, b in ipairs(M.BUILTIN) do builtin = builtin or b == name end
  if registry[name] or builtin
     or (compat.searchpath("siqun.reports." .. name, package.path) and M.get(name)) then
    error(("report '%s' is already registered"):format(name), 2)
  end
  registry[name] = { name = name, fn = fn, description = description or "" }
  return true
end

--- Removes report name from the registry; true when it was there.
function M.unregister(name)
  local had = registry[name] ~= nil
  registry[name] = nil
  return had
end

-- A module siqun.reports.<name>: a function, or { run =, description = }.
local function from_module(name)
  if not name:match(NAME) then return nil end
  local modname = "siqun.reports." .. name
  -- preload: a static host (siqun_openlibs) has no files on disk.
  if not package.loaded[modname] and not package.preload[modname]
      and not compat.searchpath(modname, package.path) then
    return nil
  end
  local mod = require(modname)
  local fn, desc
  if type(mod) == "function" then
    fn, desc = mod, ""
  elseif type(mod) == "table" and type(mod.run) == "function" then
    fn, desc = mod.run, mod.description or ""
  else
    error(("module '%s' is not a report (function or { run = function } expected)")
          :format(modname), 3)
  end
  registry[name] = { name = name, fn = fn, description = desc }
  return registry[name]
end

--- The entry { name =, description =, fn = } of report name, loading
-- siqun.reports.<name> when needed; nil and a message when there is none.
function M.get(name)
  required(name, "string", 1, "get")
  local r = registry[name] or from_module(name)
  if r then return r end
  local names = {}
  for _, e in ipairs(M.list()) do names[#names + 1] = e.name end
  return nil, ("no report named '%s' (reports: %s)"):format(name, table.concat(names, ", "))
end

--- The reports, built-in and registered, as an array of { name =,
-- description = } sorted by name.
function M.list()
  for _, name in ipairs(M.BUILTIN) do
    if not registry[name] then from_module(name) end
  end
  local out = {}
  for name, r in pairs(registry) do
    out[#out + 1] = { name = name, description = r.description }
  end
  table.sort(out, function(a, b) return a.name < b.name end)
  return out
end

--- Runs a Lua file of the user's (which typically calls register) with
-- the ordinary globals; returns true, or nil and a message when it cannot
-- be read or compiled.  Errors the file raises propagate.
function M.load(path)
  required(path, "string", 1, "load")
  local chunk, err = compat.loadfile(path, "t")
  if not chunk then return nil, err end
  chunk()
  return true
end

-- report.text(doc, opts), report.markdown(...), ...: each writer directly.
for _, f in ipairs(M.FORMATS) do
  if f ~= "sqlite" then
    M[f] = function(doc, opts)
      optional(opts, "table", 2, f)
      return M.writer(f).write(common.prepare(doc, 2), opts or {})
    end
  end
end

--- Writes the whole dataset of art to an SQLite database at path (see
-- siqun.writer.sqlite): true, or nil, message, code.  Refuses an existing
-- path unless opts.force.
function M.sqlite(art, path, opts)
  optional(opts, "table", 3, "sqlite")
  local ok, msg, code = M.writer("sqlite").write(art, path, opts or {})
  if not ok then return refused(msg, code) end
  return true
end

-- ---------------------------------------------------------------- running

local function article(art, fname)
  local siqun = require "siqun.article" -- (open and is_article)
  if art == nil then
    local a, err = siqun.open()
    if not a then error(err, 3) end
    return a
  end
  if not siqun.is_article(art) then
    argerror(2, fname, "siqun.Article expected, got " .. type(art), 3)
  end
  return art
end

--- The document report name makes of art (the embedded article when nil),
-- checked and normalised; nil and a message for an unknown report.
function M.build(name, art, opts)
  local r, err = M.get(name)
  if not r then return nil, err end
  art = article(art, "build")
  optional(opts, "table", 3, "build")
  local doc = r.fn(art, opts or {})
  if type(doc) ~= "table" then
    error(("report '%s' returned %s, not a document"):format(name, type(doc)), 2)
  end
  local ok, res = pcall(common.prepare, doc)
  if not ok then
    error(("report '%s': %s"):format(name, tostring(res):gsub("^[^:]*:%d+: ", "")), 2)
  end
  if res.report == nil then res.report = name end
  return res
end

--- Runs report name on art in format (default "text") and returns the
-- output as a string.  For "sqlite", writes the dataset plus the report's
-- tables to opts.path (or opts.output) and returns the path.  Returns nil
-- and a message for an unknown report or format, a missing table
-- (csv with opts.table) or a refused output file.
--
-- opts are handed to the report and the writer: width (text), table (csv),
-- group (thousands separator, text/markdown/html), force (sqlite), and
-- whatever the report itself reads.
function M.run(name, art, format, opts)
  required(name, "string", 1, "run")
  optional(format, "string", 3, "run")
  optional(opts, "table", 4, "run")
  opts = opts or {}
  local w, werr = M.writer(format or "text")
  if not w then return nil, werr end
  art = article(art, "run")
  local doc, err = M.build(name, art, opts)
  if not doc then return nil, err end
  if w.article then
    local path = opts.path or opts.output
    if type(path) ~= "string" then
      argerror(4, "run", "opts.path expected for format '" .. w.name .. "'", 2)
    end
    local o = {}
    for k, v in pairs(opts) do o[k] = v end
    o.doc = doc
    local ok, msg, code = w.write(art, path, o)
    if not ok then return refused(msg, code) end
    return path
  end
  return w.write(doc, opts)
end

-- Writes out to path through siqun.files (no partial file, no existing
-- file replaced without opts.force): true, or nil, message, code.
local function save(path, out, opts)
  local ok, msg, code = require("siqun.files").save(path, out, { force = opts.force })
  if not ok then return refused(msg, code) end
  return true
end

-- What save would refuse, before the output is made.
local function check(path, opts)
  local ok, msg, code = require("siqun.files").check(path, { force = opts.force })
  if not ok then return refused(msg, code) end
  return true
end

--- Like run, but writes the output to the file at path: true, or nil, a
-- message and a code (siqun.files).  An existing path is refused unless
-- opts.force, and only a regular file is ever replaced; the file is
-- written by siqun.files.save, so a failure leaves no partial file.
function M.write(name, art, format, path, opts)
  if type(path) ~= "string" or path == "" then
    argerror(4, "write", "path expected, got " .. type(path), 2)
  end
  optional(format, "string", 3, "write")
  optional(opts, "table", 5, "write")
  opts = opts or {}
  local cok, cerr, ccode = check(path, opts)
  if not cok then return nil, cerr, ccode end
  local w, werr = M.writer(format or "text")
  if not w then return nil, werr end
  if w.article then
    local o = {}
    for k, v in pairs(opts) do o[k] = v end
    o.path = path
    local ok, err, code = M.run(name, art, format, o)
    if not ok then return nil, err, code end
    return true
  end
  local out, err = M.run(name, art, format, opts)
  if not out then return nil, err end
  return save(path, out, opts)
end

--- Like render, written to the file at path with write's guarantees (an
-- existing path is refused unless opts.force, only a regular file is
-- replaced, no partial file): true, or nil, message, code.
function M.write_doc(doc, format, path, opts)
  doc = common.prepare(doc, 2) -- (its errors at the caller's level)
  optional(format, "string", 2, "write_doc")
  optional(opts, "table", 4, "write_doc")
  if type(path) ~= "string" or path == "" then
    argerror(3, "write_doc", "path expected, got " .. type(path), 2)
  end
  opts = opts or {}
  local cok, cerr, ccode = check(path, opts)
  if not cok then return nil, cerr, ccode end
  local out, err = M.render(doc, format, opts)
  if not out then return nil, err end
  return save(path, out, opts)
end

-- (siqun.output.list_doc: the one rule for a List as a document)
M.list_doc = require("siqun.output").list_doc

return M
