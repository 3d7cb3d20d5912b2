-- Resource names an Article answers itself (issue 12): art.query is the
-- method, so a resource named query would be out of reach, and used to fail
-- later with "attempt to call a siqun.List value".  siqun.open(dir) (and so
-- `siqun validate DIR`) refuses such a dataset, naming the resource.

local compat = require "siqun.compat"
local ipairs, pairs = compat.ipairs, compat.pairs -- 5.3's ipairs, 5.2's pairs, on every Lua
local siqun = require "siqun"
local article = require "siqun.article"
local files = require "spec.helper.files"
local V = require "spec.lua_version"

teardown(files.cleanup)

-- A copy of the fixture with one more resource, of the given name.
local function with_resource(name)
  return files.fixture(function(t)
    t["datapackage.json"] = files.replace(t["datapackage.json"], '"resources": [',
      '"resources": [ { "name": "' .. name .. '", "path": "extra.csv", "schema": { "fields": ['
      .. '{ "name": "id", "type": "string" }, { "name": "n", "type": "integer" } ] } },')
    t["extra.csv"] = "id,n\na,1\nb,2\n"
  end)
end

local function sorted_keys(t)
  local out = {}
  for k in pairs(t) do out[#out + 1] = k end
  table.sort(out)
  return out
end

describe("resource names that clash with the Article", function()
  it("are listed once: every method of Article, and the field dataset", function()
    local art = assert(siqun.open())
    art:query("meta") -- loads the query language (art:query) ...
    assert.is_false(art:attached()) -- ... and siqun.source
    local want = { dataset = "field" }
    for k, v in pairs(article.Article) do
      assert.is_function(v, k)
      want[k] = "method"
    end
    assert.same(sorted_keys(want), sorted_keys(article.RESERVED))
    for k, kind in pairs(article.RESERVED) do assert.equal(want[k], kind, k) end
    assert.is_not_nil(art.dataset)
  end)

  it("are the ones docs/api.md names", function()
    local doc = files.read("docs/api.md")
    local listed = doc:match("after a method or field of the Article %(`([^`]*)`%)")
    assert.is_string(listed)
    local names = {}
    for w in listed:gmatch("%S+") do names[#names + 1] = w end
    assert.same(sorted_keys(article.RESERVED), names)
  end)

  it("are refused by siqun.open(dir), naming datapackage.json, the resource and why", function()
    for name, kind in pairs(article.RESERVED) do
      local art, err = siqun.open(with_resource(name))
      assert.is_nil(art, name)
      local what = kind == "method" and ("method art:" .. name) or ("field art." .. name)
      assert.equal(("datapackage.json: resource '%s' clashes with the Article %s (rename the "
                    .. "resource)"):format(name, what), err)
    end
  end)

  it("are the Article's rule: the core loads such a dataset", function()
    local ds = assert(siqun.core.open(with_resource("query")))
    assert.equal(2, #ds:table("query"))
    ds:close()
  end)

  it("make `siqun validate DIR` fail with the message", function()
    local dir = with_resource("close")
    local errfile = os.tmpname()
    local p = assert(V.popen(V.lua .. " bin/siqun validate '" .. dir .. "' 2>'" .. errfile .. "'"))
    local out = p:read("*a")
    local _, _, code = p:close()
    local err = files.read(errfile)
    os.remove(errfile)
    assert.equal("", out)
    assert.equal(1, code)
    assert.equal("siqun: datapackage.json: resource 'close' clashes with the Article method "
                 .. "art:close (rename the resource)\n", err)
  end)

  it("leave names that only look alike alone", function()
    for _, name in ipairs { "queries", "closed", "table_", "datasets", "meta_2" } do
      local art = assert(siqun.open(with_resource(name)))
      assert.equal(2, #art[name])
      assert.equal(2, #art:table(name))
      assert.equal("b", art:query(name .. " where n = 2")[1].id)
    end
  end)
end)
