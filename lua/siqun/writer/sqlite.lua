--- siqun.writer.sqlite: the whole dataset as an SQLite database, through
-- LuaSQL (Debian package lua-sql-sqlite3, `require "luasql.sqlite3"`).
--
--   require("siqun.report").sqlite(art, "siqun.db")            -- true
--   require("siqun.report").sqlite(art, "siqun.db")            -- nil, "...: exists"
--   require("siqun.report").sqlite(art, "siqun.db", { force = true })
--
-- One table per dataset table (meta included), in the dataset's order,
-- with its fields in schema order, derived ones too (figures.value, ...).
-- Column types: integer -> INTEGER, number -> NUMERIC (integers stay
-- integers, 0.2 is REAL), boolean -> INTEGER, anything else TEXT.  Primary
-- and foreign keys follow the data package (the core's Table:primary_key()
-- and Table:foreign_keys() when it has them, else the table below, which a
-- spec checks against data/datapackage.json).  The rows are inserted in one
-- transaction with foreign keys checked at commit, then
-- PRAGMA foreign_key_check must come back empty.
--
-- With opts.doc (siqun.report.run does this), the document's tables are
-- added as report_<name> (report_<n> for a table without name).
--
-- The database is written through siqun.files.save_with: to a new hidden
-- file beside path, put in place once whole, so a failure leaves no
-- partial file and no temporary.  An existing path is refused unless
-- opts.force (and only a regular file is replaced).  Returns true, or nil,
-- a message and a code (siqun.files).

local common = require "siqun.writer.common"
local compat = require "siqun.compat"
local ipairs = compat.ipairs -- 5.3's ipairs (through __index) on every Lua

local M = { name = "sqlite", extension = "db", mediatype = "application/vnd.sqlite3",
            article = true }

-- Keys of the standard dataset (data/datapackage.json).
M.KEYS = {
  meta = { pk = { "id" } },
  sections = { pk = { "number" } },
  figures = { pk = { "id" }, fks = { { fields = { "section" }, table = "sections",
                                       ref = { "number" } } } },
  quotas = { pk = { "id" }, fks = { { fields = { "section" }, table = "sections",
                                      ref = { "number" } } } },
  glossary = { pk = { "id" }, fks = { { fields = { "section" }, table = "sections",
                                        ref = { "number" } } } },
  members = { pk = { "term", "n" }, fks = { { fields = { "term" }, table = "glossary",
                                              ref = { "id" } } } },
  places = { pk = { "id" }, fks = {
    { fields = { "section" }, table = "sections", ref = { "number" } },
    { fields = { "parent" }, table = "places", ref = { "id" } } } },
  people = { pk = { "id" }, fks = {
    { fields = { "section" }, table = "sections", ref = { "number" } },
    { fields = { "place" }, table = "places", ref = { "id" } } } },
  events = { pk = { "id" }, fks = {
    { fields = { "section" }, table = "sections", ref = { "number" } },
    { fields = { "place" }, table = "places", ref = { "id" } } } },
  omissions = { pk = { "id" } },
}

local SQLTYPE = { integer = "INTEGER", number = "NUMERIC", boolean = "INTEGER",
                  year = "INTEGER" }

local function ident(s)
  return '"' .. s:gsub('"', '""') .. '"'
end

local function literal(v)
  if v == nil then return "NULL" end
  local t = type(v)
  if t == "number" then
    local s = common.exact(v)
    if not s then return "NULL" end
    if compat.math_type(v) == "float" and not s:find("[.eEn]") then s = s .. ".0" end
    return s
  end
  if t == "boolean" then return v and "1" or "0" end
  -- a list cell (members): a JSON array, which SQLite's json_each reads
  if t == "table" then v = require("siqun.writer.json").encode(v, { indent = 0 }) end
  v = tostring(v)
  if v:find("%z") then error("a text value holds a NUL byte", 0) end
  return "'" .. common.utf8_clean(v):gsub("'", "''") .. "'"
end

local function list(names)
  local out = {}
  for i, n in ipairs(names) do out[i] = ident(n) end
  return table.concat(out, ", ")
end

-- { pk = {...}, fks = {...} } of a core table.
local function keys_of(t, name, opts)
  if opts.keys and opts.keys[name] then return opts.keys[name] end
  local ok_pk, pk = pcall(function() return t.primary_key and t:primary_key() end)
  local ok_fk, fks = pcall(function() return t.foreign_keys and t:foreign_keys() end)
  if ok_pk and type(pk) == "table" and ok_fk and type(fks) == "table" then
    return { pk = pk, fks = fks }
  end
  return M.KEYS[name] or {}
end

-- CREATE TABLE for a dataset table; fields = core Table:fields().
local function create(name, fields, keys, present)
  local has = {}
  for _, f in ipairs(fields) do has[f.name] = true end
  local function all_in(names, set)
    for _, n in ipairs(names) do if not set[n] then return false end end
    return #names > 0
  end
  local pk = keys.pk and all_in(keys.pk, has) and keys.pk
  local in_pk = {}
  for _, n in ipairs(pk or {}) do in_pk[n] = true end
  local cols = {}
  for i, f in ipairs(fields) do
    cols[i] = ident(f.name) .. " " .. (SQLTYPE[f.type] or "TEXT")
              .. (in_pk[f.name] and " NOT NULL" or "")
  end
  if pk then cols[#cols + 1] = "PRIMARY KEY (" .. list(pk) .. ")" end
  for _, fk in ipairs(keys.fks or {}) do
    local target = present[fk.table]
    if target and all_in(fk.fields, has) and all_in(fk.ref, target) then
      cols[#cols + 1] = ("FOREIGN KEY (%s) REFERENCES %s (%s)")
                        :format(list(fk.fields), ident(fk.table), list(fk.ref))
    end
  end
  return ("CREATE TABLE %s (\n  %s\n)"):format(ident(name), table.concat(cols, ",\n  "))
end

local function exec(conn, sql)
  local res, err = conn:execute(sql)
  if res == nil then -- (one line: the statement's start, for whoever reads it)
    local what = sql:sub(1, 60):gsub("%s+", " ")
    error(("%s (in: %s%s)"):format(tostring(err), what, #sql > 60 and "…" or ""), 0)
  end
  return res
end

-- Every table of art's dataset, with its keys.
local function fill_dataset(conn, art, opts)
  local ds = art.dataset
  local names = {}
  for _, n in ipairs(art:tables()) do names[#names + 1] = n end
  -- field sets of every table, for foreign keys
  local present, fields_of = {}, {}
  for _, name in ipairs(names) do
    local fields = ds:table(name):fields()
    fields_of[name] = fields
    present[name] = {}
    for _, f in ipairs(fields) do present[name][f.name] = true end
  end
  -- every table first, so that a foreign key may point at a later one
  for _, name in ipairs(names) do
    exec(conn, create(name, fields_of[name], keys_of(ds:table(name), name, opts), present))
  end
  for _, name in ipairs(names) do
    local fields = fields_of[name]
    local head = ("INSERT INTO %s (%s) VALUES ("):format(ident(name), list((function()
      local l = {}
      for i, f in ipairs(fields) do l[i] = f.name end
      return l
    end)()))
    for _, rec in ipairs(art:table(name)) do
      local vals = {}
      for i, f in ipairs(fields) do vals[i] = literal(rec[f.name]) end
      exec(conn, head .. table.concat(vals, ", ") .. ")")
    end
  end
end

-- A table of a prepared document as table name.
local function fill_table(conn, name, tb)
  local cols, colnames = {}, {}
  for k, c in ipairs(tb.columns) do
    colnames[k] = c.name
    cols[k] = ident(c.name) .. " " .. (SQLTYPE[c.type] or "TEXT")
  end
  exec(conn, ("CREATE TABLE %s (\n  %s\n)"):format(ident(name), table.concat(cols, ",\n  ")))
  local head = ("INSERT INTO %s (%s) VALUES ("):format(ident(name), list(colnames))
  for _, row in ipairs(tb.rows) do
    local vals = {}
    for k, c in ipairs(tb.columns) do vals[k] = literal(row[c.name]) end
    exec(conn, head .. table.concat(vals, ", ") .. ")")
  end
end

-- open.cur holds a cursor while it is open (the journal mode's, the
-- foreign key check's), so that write closes it when fill fails (out of
-- memory while fetching): LuaSQL refuses to close a connection with an
-- open cursor.  Without art (siqun.write of a query's result), only the
-- document's tables.
local function fill(conn, art, opts, open)
  -- The file is seen only once whole (siqun.files): a rollback journal on
  -- disk would protect nothing, and siqun.files syncs it before it is put
  -- in place.
  local mode = exec(conn, "PRAGMA journal_mode = MEMORY") -- (a cursor of one row)
  if type(mode) == "userdata" then
    open.cur = mode
    mode:close()
    open.cur = false
  end
  exec(conn, "PRAGMA synchronous = OFF")
  exec(conn, "PRAGMA foreign_keys = ON")
  exec(conn, "BEGIN")
  exec(conn, "PRAGMA defer_foreign_keys = ON")
  if art then fill_dataset(conn, art, opts) end
  if opts.doc then
    local doc = common.prepare(opts.doc, 3)
    for i, tb in ipairs(common.tables(doc)) do
      -- (a query's result alone: its own name; beside the dataset: report_)
      local name = (art and "report_" or "") .. ((tb.name or tostring(i)):gsub("[^%w_]", "_"))
      if #tb.columns > 0 then fill_table(conn, name, tb) end -- (SQL needs a column)
    end
  end
  exec(conn, "COMMIT")
  local cur = exec(conn, "PRAGMA foreign_key_check")
  local bad = false
  if type(cur) == "userdata" then
    open.cur = cur
    bad = cur:fetch({}, "n")
    open.cur = false
    cur:close()
  end
  if bad then
    error(("foreign key check failed in table %s, row %s"):format(tostring(bad[1]),
                                                                 tostring(bad[2])), 0)
  end
end

--- Writes art's dataset to an SQLite database at path: true, or nil, a
-- message and a code (path exists without opts.force, is not a regular
-- file, LuaSQL missing, SQL error).
function M.write(art, path, opts)
  opts = opts or {}
  local siqun = require "siqun.article" -- (is_article)
  local files = require "siqun.files"
  if not siqun.is_article(art) and not (art == nil and opts.doc ~= nil) then
    require("siqun.check").type(1, "sqlite", "siqun.Article", art)
  end
  if type(path) ~= "string" or path == "" then
    require("siqun.check").type(2, "sqlite", "path", path)
  end
  local ok, cerr, ccode = files.check(path, opts)
  if not ok then return nil, cerr, ccode end
  local lok, luasql = pcall(require, "luasql.sqlite3")
  if not lok and tostring(luasql):find("not enough memory", 1, true) then
    error(luasql, 0) -- out of memory is not a missing LuaSQL
  end
  if not lok then
    return nil, "the sqlite format needs LuaSQL for SQLite 3 "
                .. "(Debian: apt-get install lua-sql-sqlite3): " .. tostring(luasql), "luasql"
  end
  -- allocated before the file exists (out of memory here leaves no file)
  local open = { cur = false } -- (the key exists: setting it allocates nothing)
  return files.save_with(path, function(tmp)
    local env = luasql.sqlite3()
    local conn, err = env:connect(tmp)
    if not conn then
      env:close()
      return nil, path .. ": " .. tostring(err), "sqlite"
    end
    local fok, ferr = pcall(fill, conn, art, opts, open)
    if open.cur then open.cur:close() end
    conn:close()
    env:close()
    if not fok then return nil, path .. ": " .. tostring(ferr), "sqlite" end
    return true
  end, { force = opts.force })
end

return M
