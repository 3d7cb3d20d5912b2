--- siqun.facade: the facade (docs/api.md) that siqun/init.lua returns
-- (through siqun.core's open_layer): siqun.open, siqun.summary, and the
-- entry points of the parts that load on first use -- the query language,
-- the reports, the writers -- declared with siqun.lazy, for the facade and
-- the List; and Article:summary and Article:report.  The top of the Lua layer: no
-- module of lua/siqun but the command requires it.

local core = require "siqun.core"
local List = require "siqun.list"
local A = require "siqun.article"
local lazy = require "siqun.lazy"
local compat = require "siqun.compat"

local F = {}
local Article = A.Article

-- ------------------------------------------------------- loaded on first use

-- The query language (siqun.query), siqun.compose's List methods, the
-- reports and writers load on first use (the Article's own parts:
-- siqun.article): compiling them costs more than opening the dataset, and
-- most scripts need few of them (a query needs no List method of
-- siqun.compose, and those methods need no query).  LPeg is needed once a
-- query has a string.

-- (functions the facade holds from the start)
local FACADE_STUBS = {
  query = { "siqun.query", "run" }, compile = { "siqun.query", "compile" },
  query_predicate = { "siqun.query", "predicate" },
  scan_file = "siqun.scan_file",
}
local SAFE_STUBS = {
  query = { "siqun.query", "safe", "query" }, run = { "siqun.query", "safe", "run" },
  compile = { "siqun.query", "safe", "compile" },
  predicate = { "siqun.query", "safe", "predicate" },
}
-- (fields read on first use)
local FACADE_FIELDS = {
  report = { "siqun.report" }, files = { "siqun.files" },
  write = { "siqun.output", "write" }, columns = { "siqun.output", "columns" },
}

-- Every part load_all loads (spec/load_all_spec.lua holds the list to
-- lua/siqun).
-- (one string: what require "siqun" undumps is one constant, not fifty)
local ALL = [[lpeg siqun.lazy siqun.facade siqun.source siqun.compose
  siqun.fields siqun.files siqun.output siqun.scan_file siqun.check
  siqun.item siqun.terminal_summary siqun.text siqun.query siqun.query.aggregate siqun.query.cond
  siqun.query.errors siqun.query.exec siqun.query.fuse siqun.query.group
  siqun.query.lexer siqun.query.message siqun.order siqun.query.parser
  siqun.query.plan siqun.query.predicate siqun.query.row siqun.query.suggest
  siqun.report siqun.reports.consistency siqun.reports.figures
  siqun.reports.glossary siqun.reports.people siqun.reports.quotas
  siqun.reports.summary siqun.reports.timeline siqun.writer
  siqun.writer.cells siqun.writer.chart siqun.writer.common siqun.writer.csv
  siqun.writer.han siqun.writer.html siqun.writer.json siqun.writer.json_doc
  siqun.writer.json_value siqun.writer.markdown siqun.writer.markup
  siqun.writer.ndjson siqun.writer.sqlite siqun.writer.svg siqun.writer.text
  siqun.writer.timeline]]

-- ------------------------------------------------------- summary and report

-- Raises at the caller's caller unless opts (argument #argn of 'summary')
-- suits the summary report.
local function check_summary_opts(opts, argn)
  if opts ~= nil and type(opts) ~= "table" then
    require("siqun.check").type(argn, "summary", "table", opts, 3)
  end
  local width = opts and opts.width
  if width ~= nil and (compat.math_type(width) ~= "integer" or width < 20) then
    error(("bad option 'width' to 'summary' (integer of at least 20 expected, got %s)"):format(
          tostring(width)), 3)
  end
end

--- The summary report (see siqun.terminal_summary).
function Article:summary(opts)
  A.check(self, "summary")
  check_summary_opts(opts, 1)
  return require("siqun.terminal_summary").render(self, opts)
end

--- Runs report name on this article (see siqun.report.run).
function Article:report(name, format, opts)
  A.check(self, "report")
  -- (checked here: report.run would name its own arguments, one further)
  for i, a in compat.ipairs { { name, "string", false }, { format, "string", true },
                              { opts, "table", true } } do
    if not ((a[3] and a[1] == nil) or type(a[1]) == a[2]) then
      require("siqun.check").arg(i, "report", a[2] .. " expected, got " .. (a[1] == nil and "no value" or type(a[1])))
    end
  end
  return require("siqun.report").run(name, self, format, opts)
end

-- the List methods siqun.compose adds (never over List's own)
lazy.fields(List.methods, {}, nil, { "siqun.compose", "methods" })

-- ------------------------------------------------------- the facade

--- (siqun/init.lua, through siqun.core's open_layer) The facade.
function F.facade()
  local M = {
    _VERSION = "siqun 0.1.0", version = "0.1.0", List = List, core = core,
    quantity = core.quantity, scan = core.scan, is_article = A.is_article,
  }
  local open = A.open

  --- Opens the embedded article, or the data package in directory dir: an
  -- Article, or nil and the loader's message.
  function M.open(dir)
    if dir ~= nil and type(dir) ~= "string" then
      require("siqun.check").type(1, "open", "string", dir)
    end
    return open(dir)
  end

  --- The summary report of art (the embedded article by default), a string.
  -- opts.width: line width, an integer of at least 20 (78 by default).
  function M.summary(art, opts)
    check_summary_opts(opts, 2)
    if art == nil then
      local err
      art, err = open()
      if not art then error(err, 2) end
    elseif not A.is_article(art) then
      require("siqun.check").type(1, "summary", "siqun.Article", art)
    end
    return require("siqun.terminal_summary").render(art, opts)
  end

  --- Loads now every part siqun loads on first use (the query language and
  -- its parts, the List and Article methods beyond the first ones, the
  -- writers and reports, LPeg), so that a host that forks (OpenResty's
  -- init_by_lua) or times its requests pays nothing for them later.
  -- Returns the names loaded.
  function M.load_all()
    local names = {}
    for name in ALL:gmatch("%S+") do
      require(name)
      names[#names + 1] = name
    end
    -- (the entry points in place: each read keeps its value)
    for k in compat.pairs(FACADE_FIELDS) do local _ = M[k] end
    lazy.resolve(M)
    lazy.resolve(M.safe)
    for k in compat.pairs(A.LAZY) do local _ = Article[k] end
    local _ = List.methods.group_by
    return names
  end

  lazy.stubs(M, FACADE_STUBS)
  M.safe = lazy.stubs({}, SAFE_STUBS)
  -- List's query-string predicates: the stub, which loads the language on
  -- the first one and tail-calls it (error levels are the language's)
  List._use_query_predicate(M.query_predicate)
  -- (the facade is a module table, as mutable as any; its metatable is
  -- hidden all the same)
  return lazy.fields(M, FACADE_FIELDS, { __metatable = "siqun" })
end

return F
