-- The descriptor and Table Schema, table-driven (issue 6): every refusal of
-- csrc/dataset/sq_schema.c and csrc/dataset/sq_json.c and every conversion rule of
-- csrc/dataset/sq_cells.c, each with its exact message (or loaded, for the forms
-- that are accepted).  RESOURCES add a resource "extra" (its JSON, and
-- extra.csv) before the nine of the valid fixture (spec/fixtures/valid);
-- DESCRIPTORS edit the fixture's datapackage.json itself.  All files are
-- written at run time into a temporary directory.  The messages name the
-- file and line (of the descriptor's JSON value, or of the CSV record) and
-- the resource and field.
-- luacheck: no max line length (one case a line: the long lines are data)

local core = require "siqun.core"

local helper = require "spec.helper.files"
local write = helper.write
local base = helper.fixture_files()
local DIR = helper.tmpdir()
teardown(helper.cleanup)

-- Opens the fixture with descriptor desc and, when given, extra.csv.
local function open_with(desc, csv)
  for name, s in pairs(base) do write(DIR .. "/" .. name, s) end
  write(DIR .. "/datapackage.json", desc)
  os.remove(DIR .. "/extra.csv")
  if csv then write(DIR .. "/extra.csv", csv) end
  return core.open(DIR)
end

-- A resource "extra" with the given fields (JSON) and schema properties.
local function F(fields, extra)
  return '{ "name": "extra", "path": "extra.csv", "schema": { "fields": [' .. fields .. ']'
         .. (extra or '') .. ' } }'
end
local S = '{ "name": "id" }'

-- The descriptor with the one occurrence of a replaced by b.
local function rep(a, b)
  return function(d)
    local i, j = d:find(a, 1, true)
    assert(i, "not in the descriptor: " .. a)
    return d:sub(1, i - 1) .. b .. d:sub(j + 1)
  end
end

-- { name, resource JSON, extra.csv or nil, want = message or true }
local RESOURCES = {
  -- resources
  { "resource not an object", '42',
    want = "datapackage.json:14: resource 1 is not an object" },
  { "resource without a name", '{ "path": "extra.csv" }',
    want = "datapackage.json:14: resource 1 has no name" },
  { "resource name with capitals", '{ "name": "Extra", "path": "extra.csv" }',
    want = "datapackage.json:14: resource name 'Extra' must be 1 to 64 of a-z 0-9 . - _" },
  { "resource defined twice", '{ "name": "figures", "path": "extra.csv", "schema": { "fields": [ { "name": "id" } ] } }',
    want = "datapackage.json:224: resource 'figures' is defined twice" },
  { "inline data", '{ "name": "extra", "data": [] }',
    want = "datapackage.json:14: resource 'extra': inline data is not supported" },
  { "no path", '{ "name": "extra" }',
    want = "datapackage.json:14: resource 'extra' has no path" },
  { "path not a string", '{ "name": "extra", "path": ["a.csv"] }',
    want = "datapackage.json:14: resource 'extra': path must be a string" },
  { "empty path", '{ "name": "extra", "path": "" }',
    want = "datapackage.json:14: resource 'extra': empty path" },
  { "path too long", '{ "name": "extra", "path": "' .. ("a"):rep(1025) .. '" }',
    want = "datapackage.json:14: resource 'extra': path 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is too long" },
  { "'.' segment", '{ "name": "extra", "path": "./extra.csv" }',
    want = "datapackage.json:14: resource 'extra': path './extra.csv' has an empty or '.' segment" },
  { "empty segment", '{ "name": "extra", "path": "a//extra.csv" }',
    want = "datapackage.json:14: resource 'extra': path 'a//extra.csv' has an empty or '.' segment" },
  { "drive path", '{ "name": "extra", "path": "c:extra.csv" }',
    want = "datapackage.json:14: resource 'extra': path 'c:extra.csv' is not inside the dataset (remote and drive paths are not supported)" },
  { "remote path", '{ "name": "extra", "path": "http://x/extra.csv" }',
    want = "datapackage.json:14: resource 'extra': path 'http://x/extra.csv' is not inside the dataset (remote and drive paths are not supported)" },
  { "format", '{ "name": "extra", "path": "extra.csv", "format": "json" }',
    want = "datapackage.json:14: resource 'extra': unsupported format (only csv)" },
  { "format CSV in capitals", '{ "name": "extra", "path": "extra.csv", "format": "CSV", "encoding": "UTF8", "schema": { "fields": [ { "name": "id" } ] } }', "id\nx\n", want = true },
  { "encoding", '{ "name": "extra", "path": "extra.csv", "encoding": "latin1" }',
    want = "datapackage.json:14: resource 'extra': unsupported encoding (only utf-8)" },
  { "compression", '{ "name": "extra", "path": "extra.csv", "compression": "gz" }',
    want = "datapackage.json:14: resource 'extra': compression is not supported" },
  { "dialect not an object", '{ "name": "extra", "path": "extra.csv", "dialect": ";" }',
    want = "datapackage.json:14: resource 'extra': dialect must be an object" },
  { "delimiter", '{ "name": "extra", "path": "extra.csv", "dialect": { "delimiter": ";" } }',
    want = "datapackage.json:14: resource 'extra': unsupported dialect: delimiter must be ','" },
  { "quoteChar", '{ "name": "extra", "path": "extra.csv", "dialect": { "quoteChar": "\'" } }',
    want = "datapackage.json:14: resource 'extra': unsupported dialect: quoteChar must be '\"'" },
  { "doubleQuote", '{ "name": "extra", "path": "extra.csv", "dialect": { "doubleQuote": false } }',
    want = "datapackage.json:14: resource 'extra': unsupported dialect: doubleQuote must be true" },
  { "header", '{ "name": "extra", "path": "extra.csv", "dialect": { "header": false } }',
    want = "datapackage.json:14: resource 'extra': unsupported dialect: header must be true" },
  { "skipInitialSpace", '{ "name": "extra", "path": "extra.csv", "dialect": { "skipInitialSpace": true } }',
    want = "datapackage.json:14: resource 'extra': unsupported dialect: skipInitialSpace must be false" },
  { "escapeChar", '{ "name": "extra", "path": "extra.csv", "dialect": { "escapeChar": "\\\\" } }',
    want = "datapackage.json:14: resource 'extra': unsupported dialect: escapeChar" },
  { "commentChar", '{ "name": "extra", "path": "extra.csv", "dialect": { "commentChar": "#" } }',
    want = "datapackage.json:14: resource 'extra': unsupported dialect: commentChar" },
  { "lineTerminator", '{ "name": "extra", "path": "extra.csv", "dialect": { "lineTerminator": "\\r" } }',
    want = "datapackage.json:14: resource 'extra': unsupported dialect: lineTerminator must be LF or CRLF" },
  { "CRLF lineTerminator", '{ "name": "extra", "path": "extra.csv", "dialect": { "lineTerminator": "\\r\\n", "skipInitialSpace": false }, "schema": { "fields": [ { "name": "id" } ] } }', "id\r\nx\r\n", want = true },
  { "no schema", '{ "name": "extra", "path": "extra.csv" }',
    want = "datapackage.json:14: resource 'extra': schema must be an object" },
  { "schema not an object", '{ "name": "extra", "path": "extra.csv", "schema": [] }',
    want = "datapackage.json:14: resource 'extra': schema must be an object" },
  { "no fields", '{ "name": "extra", "path": "extra.csv", "schema": {} }',
    want = "datapackage.json:14: resource 'extra': schema.fields must be a non-empty array" },
  { "empty fields", F(''),
    want = "datapackage.json:14: resource 'extra': schema.fields must be a non-empty array" },
  { "too many fields", F((S .. ","):rep(128) .. S),
    want = "datapackage.json:14: resource 'extra': more than 128 fields" },
  { "field not an object", F('"id"'),
    want = "datapackage.json:14: resource 'extra': field 1 is not an object" },
  { "field without a name", F('{ "type": "string" }'),
    want = "datapackage.json:14: resource 'extra': field 1 has no name" },
  { "empty field name", F('{ "name": "" }'),
    want = "datapackage.json:14: resource 'extra': field name '' is empty, too long or has a control character" },
  { "field name with a control character", F('{ "name": "a\\u001bb" }'),
    want = "datapackage.json:14: resource 'extra': field name 'a?b' is empty, too long or has a control character" },
  { "field defined twice", F(S .. ',' .. S),
    want = "datapackage.json:14: resource 'extra': field 'id' is defined twice" },
  { "type not a string", F('{ "name": "id", "type": 1 }'),
    want = "datapackage.json:14: resource 'extra': field 'id': type must be a string" },
  { "format not a string", F('{ "name": "id", "format": 1 }'),
    want = "datapackage.json:14: resource 'extra': field 'id': format must be a string" },
  { "format of another type", F('{ "name": "id", "type": "integer", "format": "uri" }'),
    want = "datapackage.json:14: resource 'extra': field 'id': unsupported format 'uri' for type 'integer'" },
  { "unknown format", F('{ "name": "id", "format": "binary" }'),
    want = "datapackage.json:14: resource 'extra': field 'id': unsupported format 'binary' for type 'string'" },
  { "trueValues", F('{ "name": "id", "trueValues": ["y"] }'),
    want = "datapackage.json:14: resource 'extra': field 'id': unsupported property 'trueValues'" },
  { "constraints not an object", F('{ "name": "id", "constraints": true }'),
    want = "datapackage.json:14: resource 'extra': field 'id': constraints must be an object" },
  { "required not a boolean", F('{ "name": "id", "constraints": { "required": 1 } }'),
    want = "datapackage.json:14: resource 'extra': field 'id': constraint 'required' must be a boolean" },
  { "unique not a boolean", F('{ "name": "id", "constraints": { "unique": "yes" } }'),
    want = "datapackage.json:14: resource 'extra': field 'id': constraint 'unique' must be a boolean" },
  { "enum not an array", F('{ "name": "id", "constraints": { "enum": "a" } }'),
    want = "datapackage.json:14: resource 'extra': field 'id': constraint 'enum' must be a non-empty array" },
  { "empty enum", F('{ "name": "id", "constraints": { "enum": [] } }'),
    want = "datapackage.json:14: resource 'extra': field 'id': constraint 'enum' must be a non-empty array" },
  { "enum too long", F('{ "name": "id", "constraints": { "enum": [' .. ('"a",'):rep(1024) .. '"b"] } }'),
    want = "datapackage.json:14: resource 'extra': field 'id': constraint 'enum' has more than 1024 values" },
  { "enum value of another type", F('{ "name": "id", "type": "integer", "constraints": { "enum": [1, "2"] } }'),
    want = "datapackage.json:14: resource 'extra': field 'id': enum value is a string, not of type 'integer'" },
  { "enum of numbers with a string", F('{ "name": "id", "type": "number", "constraints": { "enum": [1.5, "x"] } }'),
    want = "datapackage.json:14: resource 'extra': field 'id': enum value is a string, not of type 'number'" },
  { "enum of booleans with a number", F('{ "name": "id", "type": "boolean", "constraints": { "enum": [true, 0] } }'),
    want = "datapackage.json:14: resource 'extra': field 'id': enum value is a number, not of type 'boolean'" },
  { "minimum on a string", F('{ "name": "id", "constraints": { "minimum": 1 } }'),
    want = "datapackage.json:14: resource 'extra': field 'id': constraint 'minimum' is not supported for type 'string'" },
  { "maximum not a number", F('{ "name": "id", "type": "integer", "constraints": { "maximum": "9" } }'),
    want = "datapackage.json:14: resource 'extra': field 'id': constraint 'maximum' must be a number" },
  { "minLength on an integer", F('{ "name": "id", "type": "integer", "constraints": { "minLength": 1 } }'),
    want = "datapackage.json:14: resource 'extra': field 'id': constraint 'minLength' is not supported for type 'integer'" },
  { "negative maxLength", F('{ "name": "id", "constraints": { "maxLength": -1 } }'),
    want = "datapackage.json:14: resource 'extra': field 'id': constraint 'maxLength' must be a non-negative integer" },
  { "missingValues", F(S, ', "missingValues": ["NA"]'),
    want = "datapackage.json:14: resource 'extra': unsupported missingValues (only [\"\"])" },
  { "missingValues empty string", F(S, ', "missingValues": [""]'), "id\nx\n", want = true },
  { "primaryKey unknown", F(S, ', "primaryKey": "x"'),
    want = "datapackage.json:14: resource 'extra': primaryKey names unknown field 'x'" },
  { "primaryKey not a name", F(S, ', "primaryKey": 1'),
    want = "datapackage.json:14: resource 'extra': primaryKey must be a field name or a non-empty array of field names" },
  { "primaryKey empty array", F(S, ', "primaryKey": []'),
    want = "datapackage.json:14: resource 'extra': primaryKey must be a field name or a non-empty array of field names" },
  { "primaryKey with a number", F(S, ', "primaryKey": [1]'),
    want = "datapackage.json:14: resource 'extra': primaryKey must name fields" },
  { "primaryKey twice", F(S .. ', { "name": "b" }', ', "primaryKey": ["id", "id"]'),
    want = "datapackage.json:14: resource 'extra': primaryKey names field 'id' twice" },
  { "foreignKeys not an array", F(S, ', "foreignKeys": {}'),
    want = "datapackage.json:14: resource 'extra': foreignKeys must be an array" },
  { "too many foreignKeys", F(S, ', "foreignKeys": [' .. ('{},'):rep(32) .. '{}]'),
    want = "datapackage.json:14: resource 'extra': more than 32 foreign keys" },
  { "foreignKey not an object", F(S, ', "foreignKeys": [1]'), "id\nx\n",
    want = "datapackage.json:14: resource 'extra': foreignKeys: each must be an object" },
  { "foreignKey without reference", F(S, ', "foreignKeys": [{ "fields": "id" }]'), "id\nx\n",
    want = "datapackage.json:14: resource 'extra': foreignKeys: missing reference" },
  { "reference.resource not a string", F(S, ', "foreignKeys": [{ "fields": "id", "reference": { "resource": 1, "fields": "id" } }]'), "id\nx\n",
    want = "datapackage.json:14: resource 'extra': foreignKeys: reference.resource must be a string" },
  { "reference to an unknown resource", F(S, ', "foreignKeys": [{ "fields": "id", "reference": { "resource": "nowhere", "fields": "id" } }]'), "id\nx\n",
    want = "datapackage.json:14: resource 'extra': foreignKeys: unknown resource 'nowhere'" },
  { "foreignKey fields not names", F(S, ', "foreignKeys": [{ "fields": [1], "reference": { "resource": "", "fields": "id" } }]'), "id\nx\n",
    want = "datapackage.json:14: resource 'extra': foreignKeys: fields must be field names" },
  { "foreignKey fields empty", F(S, ', "foreignKeys": [{ "fields": [], "reference": { "resource": "", "fields": "id" } }]'), "id\nx\n",
    want = "datapackage.json:14: resource 'extra': foreignKeys: fields must be a field name or a non-empty array of field names" },
  { "foreignKey unknown field", F(S, ', "foreignKeys": [{ "fields": "x", "reference": { "resource": "", "fields": "id" } }]'), "id\nx\n",
    want = "datapackage.json:14: resource 'extra': foreignKeys: resource 'extra' has no field 'x'" },
  { "foreignKey counts differ", F(S .. ', { "name": "b" }', ', "foreignKeys": [{ "fields": ["id", "b"], "reference": { "resource": "", "fields": "id" } }]'), "id,b\nx,y\n",
    want = "datapackage.json:14: resource 'extra': foreignKeys: 2 fields refer to 1" },
  { "foreignKey to non-key columns", F(S .. ', { "name": "b" }', ', "foreignKeys": [{ "fields": "b", "reference": { "resource": "places", "fields": "name" } }]'), "id,b\nx,青石镇\ny,nowhere\n",
    want = "extra.csv:3: field 'b': no row of 'places' has name 'nowhere'" },
  { "composite foreignKey", F('{ "name": "term" }, { "name": "n", "type": "integer" }', ', "foreignKeys": [{ "fields": ["term", "n"], "reference": { "resource": "members", "fields": ["term", "n"] } }]'), "term,n\nsan_jian_shi,1\nsan_jian_shi,9\n",
    want = "extra.csv:3: field 'term, n': no row of 'members' has term, n 'san_jian_shi, 9'" },
  { "self reference on the same column", F(S, ', "primaryKey": "id", "foreignKeys": [{ "fields": "id", "reference": { "resource": "", "fields": "id" } }]'), "id\nx\n", want = true },
  -- cells
  { "booleans", F('{ "name": "id" }, { "name": "b", "type": "boolean" }'), "id,b\na,true\nb,True\nc,TRUE\nd,1\ne,false\nf,False\ng,FALSE\nh,0\n", want = true },
  { "a boolean that is not one", F('{ "name": "id" }, { "name": "b", "type": "boolean" }'), "id,b\na,yes\n",
    want = "extra.csv:2: field 'b': expected a boolean (true or false), got 'yes'" },
  { "dates", F('{ "name": "id" }, { "name": "d", "type": "date" }'), "id,d\na,2020-02-29\nb,2000-02-29\nc,1999-12-31\n", want = true },
  { "a 29 February of a common year", F('{ "name": "id" }, { "name": "d", "type": "date" }'), "id,d\na,1900-02-29\n",
    want = "extra.csv:2: field 'd': expected a date (YYYY-MM-DD), got '1900-02-29'" },
  { "a 31 April", F('{ "name": "id" }, { "name": "d", "type": "date" }'), "id,d\na,2020-04-31\n",
    want = "extra.csv:2: field 'd': expected a date (YYYY-MM-DD), got '2020-04-31'" },
  { "a month 13", F('{ "name": "id" }, { "name": "d", "type": "date" }'), "id,d\na,2020-13-01\n",
    want = "extra.csv:2: field 'd': expected a date (YYYY-MM-DD), got '2020-13-01'" },
  { "a date without zeros", F('{ "name": "id" }, { "name": "d", "type": "date" }'), "id,d\na,2020-1-01\n",
    want = "extra.csv:2: field 'd': expected a date (YYYY-MM-DD), got '2020-1-01'" },
  { "datetimes", F('{ "name": "id" }, { "name": "d", "type": "datetime" }'), "id,d\na,2020-03-01T08:00:00Z\nb,2020-03-01T23:59:60+08:00\nc,2020-03-01T08:00:00.125-05:30\nd,2020-03-01T08:00:00\n", want = true },
  { "an hour 24", F('{ "name": "id" }, { "name": "d", "type": "datetime" }'), "id,d\na,2020-03-01T24:00:00Z\n",
    want = "extra.csv:2: field 'd': expected a datetime (YYYY-MM-DDThh:mm:ss with an optional zone), got '2020-03-01T24:00:00Z'" },
  { "a bad zone", F('{ "name": "id" }, { "name": "d", "type": "datetime" }'), "id,d\na,2020-03-01T08:00:00+8\n",
    want = "extra.csv:2: field 'd': expected a datetime (YYYY-MM-DDThh:mm:ss with an optional zone), got '2020-03-01T08:00:00+8'" },
  { "an empty fraction", F('{ "name": "id" }, { "name": "d", "type": "datetime" }'), "id,d\na,2020-03-01T08:00:00.Z\n",
    want = "extra.csv:2: field 'd': expected a datetime (YYYY-MM-DDThh:mm:ss with an optional zone), got '2020-03-01T08:00:00.Z'" },
  { "text after Z", F('{ "name": "id" }, { "name": "d", "type": "datetime" }'), "id,d\na,2020-03-01T08:00:00Zx\n",
    want = "extra.csv:2: field 'd': expected a datetime (YYYY-MM-DDThh:mm:ss with an optional zone), got '2020-03-01T08:00:00Zx'" },
  { "a zone hour 24", F('{ "name": "id" }, { "name": "d", "type": "datetime" }'), "id,d\na,2020-03-01T08:00:00+24:00\n",
    want = "extra.csv:2: field 'd': expected a datetime (YYYY-MM-DDThh:mm:ss with an optional zone), got '2020-03-01T08:00:00+24:00'" },
  { "years", F('{ "name": "id" }, { "name": "y", "type": "year", "constraints": { "minimum": 1900, "maximum": 2100 } }'), "id,y\na,2012\nb,1900\n", want = true },
  { "a year of two digits", F('{ "name": "id" }, { "name": "y", "type": "year" }'), "id,y\na,12\n",
    want = "extra.csv:2: field 'y': expected a year (YYYY), got '12'" },
  { "a year below its minimum", F('{ "name": "id" }, { "name": "y", "type": "year", "constraints": { "minimum": 1900 } }'), "id,y\na,1899\n",
    want = "extra.csv:2: field 'y': expected at least 1900, got '1899'" },
  { "a year above its maximum", F('{ "name": "id" }, { "name": "y", "type": "year", "constraints": { "maximum": 2100 } }'), "id,y\na,2101\n",
    want = "extra.csv:2: field 'y': expected at most 2100, got '2101'" },
  { "URIs and emails", F('{ "name": "id" }, { "name": "u", "format": "uri" }, { "name": "e", "format": "email" }'), "id,u,e\na,http://example.com/x?y=1,a@example.com\nb,urn:isbn:0451450523,x.y@z\n", want = true },
  { "a URI without a scheme", F('{ "name": "id" }, { "name": "u", "format": "uri" }'), "id,u\na,example.com\n",
    want = "extra.csv:2: field 'u': expected a URI, got 'example.com'" },
  { "a URI with a space", F('{ "name": "id" }, { "name": "u", "format": "uri" }'), "id,u\na,http://a b\n",
    want = "extra.csv:2: field 'u': expected a URI, got 'http://a b'" },
  { "a URI starting with a digit", F('{ "name": "id" }, { "name": "u", "format": "uri" }'), "id,u\na,1http://a\n",
    want = "extra.csv:2: field 'u': expected a URI, got '1http://a'" },
  { "an email without a domain", F('{ "name": "id" }, { "name": "e", "format": "email" }'), "id,e\na,a@\n",
    want = "extra.csv:2: field 'e': expected an email address, got 'a@'" },
  { "an email with two @", F('{ "name": "id" }, { "name": "e", "format": "email" }'), "id,e\na,a@b@c\n",
    want = "extra.csv:2: field 'e': expected an email address, got 'a@b@c'" },
  { "an email with a space", F('{ "name": "id" }, { "name": "e", "format": "email" }'), "id,e\na,a b@c\n",
    want = "extra.csv:2: field 'e': expected an email address, got 'a b@c'" },
  { "lengths in characters", F('{ "name": "id" }, { "name": "s", "constraints": { "minLength": 2, "maxLength": 3 } }'), "id,s\na,青石\nb,青石镇\n", want = true },
  { "too short", F('{ "name": "id" }, { "name": "s", "constraints": { "minLength": 2 } }'), "id,s\na,青\n",
    want = "extra.csv:2: field 's': expected at least 2 characters, got '青'" },
  { "too long", F('{ "name": "id" }, { "name": "s", "constraints": { "maxLength": 3 } }'), "id,s\na,青石镇长\n",
    want = "extra.csv:2: field 's': expected at most 3 characters, got '青石镇长'" },
  { "integer bounds", F('{ "name": "id" }, { "name": "n", "type": "integer", "constraints": { "minimum": -9223372036854775808, "maximum": 9223372036854775807 } }'), "id,n\na,-9223372036854775808\nb,9223372036854775807\nc,+7\n", want = true },
  { "an integer above its maximum", F('{ "name": "id" }, { "name": "n", "type": "integer", "constraints": { "maximum": 10 } }'), "id,n\na,11\n",
    want = "extra.csv:2: field 'n': expected at most 10, got '11'" },
  { "an integer below a fractional minimum", F('{ "name": "id" }, { "name": "n", "type": "integer", "constraints": { "minimum": 1.5 } }'), "id,n\na,1\n",
    want = "extra.csv:2: field 'n': expected at least 1.5, got '1'" },
  { "an integer above a fractional maximum", F('{ "name": "id" }, { "name": "n", "type": "integer", "constraints": { "maximum": 1.5 } }'), "id,n\na,2\n",
    want = "extra.csv:2: field 'n': expected at most 1.5, got '2'" },
  { "a lone sign", F('{ "name": "id" }, { "name": "n", "type": "integer" }'), "id,n\na,-\n",
    want = "extra.csv:2: field 'n': expected an integer, got '-'" },
  { "number bounds", F('{ "name": "id" }, { "name": "x", "type": "number", "constraints": { "minimum": 0.5, "maximum": 1.5 } }'), "id,x\na,0.5\nb,1.5\n", want = true },
  { "a number below its minimum", F('{ "name": "id" }, { "name": "x", "type": "number", "constraints": { "minimum": 0.5 } }'), "id,x\na,0.25\n",
    want = "extra.csv:2: field 'x': expected at least 0.5, got '0.25'" },
  { "a number above its maximum", F('{ "name": "id" }, { "name": "x", "type": "number", "constraints": { "maximum": 1.5 } }'), "id,x\na,2\n",
    want = "extra.csv:2: field 'x': expected at most 1.5, got '2'" },
  { "NaN against a minimum", F('{ "name": "id" }, { "name": "x", "type": "number", "constraints": { "minimum": 0 } }'), "id,x\na,NaN\n",
    want = "extra.csv:2: field 'x': expected at least 0, got 'NaN'" },
  { "enums of every type", F('{ "name": "id" }, { "name": "n", "type": "integer", "constraints": { "enum": [1, 2] } }, { "name": "x", "type": "number", "constraints": { "enum": [0.5, 1] } }, { "name": "b", "type": "boolean", "constraints": { "enum": [true] } }'), "id,n,x,b\na,1,0.5,true\nb,2,1,1\n", want = true },
  { "an integer outside its enum", F('{ "name": "id" }, { "name": "n", "type": "integer", "constraints": { "enum": [1, 2] } }'), "id,n\na,3\n",
    want = "extra.csv:2: field 'n': '3' is not one of: 1, 2" },
  { "a number outside its enum", F('{ "name": "id" }, { "name": "x", "type": "number", "constraints": { "enum": [0.5, 1] } }'), "id,x\na,0.75\n",
    want = "extra.csv:2: field 'x': '0.75' is not one of: 0.5, 1" },
  { "a boolean outside its enum", F('{ "name": "id" }, { "name": "b", "type": "boolean", "constraints": { "enum": [true] } }'), "id,b\na,false\n",
    want = "extra.csv:2: field 'b': 'false' is not one of: true" },
  { "a long enum, cut in the message", F('{ "name": "id" }, { "name": "s", "constraints": { "enum": [' .. ('"' .. ("v"):rep(30) .. '",'):rep(20) .. '"w"] } }'), "id,s\na,x\n",
    want = "extra.csv:2: field 's': 'x' is not one of: vvvvvvvvvvvvvvvvvvvvvvvvvvvvvv, vvvvvvvvvvvvvvvvvvvvvvvvvvvvvv, vvvvvvvvvvvvvvvvvvvvvvvvvvvvvv, vvvvvvvvvvvvvvvvvvvvvvvvvvvvvv, vvvvvvvvvvvvvvvvvvvvvvvvvvvvvv, vvvvvvvvvvvvvvvvvvvvvvvvvvvvvv, ..." },
  { "a unique number", F('{ "name": "id" }, { "name": "x", "type": "number", "constraints": { "unique": true } }'), "id,x\na,0.5\nb,0.5\n",
    want = "extra.csv:3: field 'x': duplicate value '0.5' (also on line 2)" },
  { "a unique boolean", F('{ "name": "id" }, { "name": "b", "type": "boolean", "constraints": { "unique": true } }'), "id,b\na,true\nb,1\n",
    want = "extra.csv:3: field 'b': duplicate value 'true' (also on line 2)" },
  { "a unique integral number", F('{ "name": "id" }, { "name": "x", "type": "number", "constraints": { "unique": true } }'), "id,x\na,2\nb,2.0\n",
    want = "extra.csv:3: field 'x': duplicate value '2' (also on line 2)" },
  { "a duplicate composite key of numbers", F('{ "name": "x", "type": "number" }, { "name": "b", "type": "boolean" }', ', "primaryKey": ["x", "b"]'), "x,b\n0.5,true\n0.5,TRUE\n",
    want = "extra.csv:3: field 'x, b': duplicate primary key '0.5, true' (also on line 2)" },
  { "a header row only", F(S), "id\n", want = true },
  { "an empty file", F(S), "",
    want = "extra.csv:1: missing header row" },
  { "a field twice in the header", F(S .. ', { "name": "b" }'), "id,b,id\nx,y,z\n",
    want = "extra.csv:1: field 'id' appears twice in the header" },
  { "a header name over 64 bytes", F(S), ("h"):rep(65) .. "\nx\n",
    want = "extra.csv:1: unknown field 'hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh...'" },
  -- JSON forms inside a resource
  { "an enum value that is null", F('{ "name": "id", "type": "integer", "constraints": { "enum": [null] } }'),
    want = "datapackage.json:14: resource 'extra': field 'id': enum value is null, not of type 'integer'" },
  { "an enum value that is an object", F('{ "name": "id", "constraints": { "enum": [{}] } }'),
    want = "datapackage.json:14: resource 'extra': field 'id': enum value is an object, not of type 'string'" },
  { "an enum value that is an array", F('{ "name": "id", "constraints": { "enum": [[1]] } }'),
    want = "datapackage.json:14: resource 'extra': field 'id': enum value is an array, not of type 'string'" },
  { "an enum value that is a boolean", F('{ "name": "id", "constraints": { "enum": [true] } }'),
    want = "datapackage.json:14: resource 'extra': field 'id': enum value is a boolean, not of type 'string'" },
  { "JSON numbers -0, 1E+2, 1e-2", F('{ "name": "id", "type": "number", "constraints": { "minimum": -0, "maximum": 1E+2, "enum": [1e-2, 0.5, 100] } }'), "id\n0.5\n", want = true },
  { "a bound of 19 digits", F('{ "name": "id", "type": "integer", "constraints": { "maximum": 1000000000000000000 } }'), "id\n5\n", want = true },
  { "a \\u escape cut by the end of the string", F('{ "name": "a\\u12" }'),
    want = "datapackage.json:14: malformed JSON: bad \\u escape near '\\u12\" }] } },'" },
  { "a high surrogate before another escape", F('{ "name": "a\\ud83d\\n" }'),
    want = "datapackage.json:14: malformed JSON: unpaired surrogate in a \\u escape near '\\ud83d\\n\" }] } }'" },
  { "a high surrogate before a non-low one", F('{ "name": "a\\ud83d\\u0041" }'),
    want = "datapackage.json:14: malformed JSON: unpaired surrogate in a \\u escape near '\\ud83d\\u0041\" }]'" },
  { "escapes in upper- and lower-case hex", F('{ "name": "\\u00C9\\u00e9" }'), "Éé\nx\n", want = true },
  { "a line break in a string", F('{ "name": "a\nb" }'),
    want = "datapackage.json:14: malformed JSON: control character in a string near byte 0x0A" },
  { "a number in a key's place", '{ "name": "extra", 5 }',
    want = "datapackage.json:14: malformed JSON: expected a string key near '5 },'" },
  { "an object cut after a key", '{ "name": "extra", "path"',
    want = "datapackage.json:14: malformed JSON: expected ':' near ','" },
  -- names, paths, formats and missing values
  { "a resource name with a NUL", '{ "name": "ex\\u0000tra", "path": "extra.csv" }',
    want = "datapackage.json:14: resource name 'ex?tra' must be 1 to 64 of a-z 0-9 . - _" },
  { "a resource name with a space", '{ "name": "ex tra", "path": "extra.csv" }',
    want = "datapackage.json:14: resource name 'ex tra' must be 1 to 64 of a-z 0-9 . - _" },
  { "a resource name of 65 characters", '{ "name": "' .. ("e"):rep(65) .. '", "path": "extra.csv" }',
    want = "datapackage.json:14: resource name 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee...' must be 1 to 64 of a-z 0-9 . - _" },
  { "a field name of 65 bytes", F('{ "name": "' .. ("f"):rep(65) .. '" }'),
    want = "datapackage.json:14: resource 'extra': field name 'ffffffffffffffffffffffffffffffffffffffffffffffff...' is empty, too long or has a control character" },
  { "a field name with DEL", F('{ "name": "a\\u007fb" }'),
    want = "datapackage.json:14: resource 'extra': field name 'a?b' is empty, too long or has a control character" },
  { "a path with DEL", '{ "name": "extra", "path": "extra\\u007f.csv" }',
    want = "datapackage.json:14: resource 'extra': path 'extra?.csv' contains a control character" },
  { "a path ending in a slash", '{ "name": "extra", "path": "sub/" }',
    want = "datapackage.json:14: resource 'extra': path 'sub/' has an empty or '.' segment" },
  { "format that is not a string", '{ "name": "extra", "path": "extra.csv", "format": 1 }',
    want = "datapackage.json:14: resource 'extra': unsupported format (only csv)" },
  { "format 'csvx'", '{ "name": "extra", "path": "extra.csv", "format": "csvx" }',
    want = "datapackage.json:14: resource 'extra': unsupported format (only csv)" },
  { "encoding that is not a string", '{ "name": "extra", "path": "extra.csv", "encoding": 8 }',
    want = "datapackage.json:14: resource 'extra': unsupported encoding (only utf-8)" },
  { "encoding 'utf-16'", '{ "name": "extra", "path": "extra.csv", "encoding": "utf-16" }',
    want = "datapackage.json:14: resource 'extra': unsupported encoding (only utf-8)" },
  { "fields that are an object", '{ "name": "extra", "path": "extra.csv", "schema": { "fields": {} } }',
    want = "datapackage.json:14: resource 'extra': schema.fields must be a non-empty array" },
  { "missingValues of two strings", F(S, ', "missingValues": ["", "-"]'),
    want = "datapackage.json:14: resource 'extra': unsupported missingValues (only [\"\"])" },
  { "missingValues that are not an array", F(S, ', "missingValues": ""'),
    want = "datapackage.json:14: resource 'extra': unsupported missingValues (only [\"\"])" },
  { "format 'default'", F('{ "name": "id", "format": "default" }'), "id\nx\n", want = true },
  { "required false, unique false", F('{ "name": "id", "constraints": { "required": false, "unique": false } }'), "id\n\n", want = true },
  { "a field name that is a number", F('{ "name": 1 }'),
    want = "datapackage.json:14: resource 'extra': field 1 has no name" },
  { "an enum of booleans", F('{ "name": "id", "type": "boolean", "constraints": { "enum": [false, true] } }'), "id\nfalse\n", want = true },
  { "maxLength 1.5", F('{ "name": "id", "constraints": { "maxLength": 1.5 } }'),
    want = "datapackage.json:14: resource 'extra': field 'id': constraint 'maxLength' must be a non-negative integer" },
  { "a primaryKey longer than the fields", F(S, ', "primaryKey": ["id", "id"]'),
    want = "datapackage.json:14: resource 'extra': primaryKey must be a field name or a non-empty array of field names" },
  { "a primaryKey naming a prefix", F('{ "name": "idx" }', ', "primaryKey": "id"'),
    want = "datapackage.json:14: resource 'extra': primaryKey names unknown field 'id'" },
}

-- { name, function(descriptor) -> descriptor, want = message or true }
local DESCRIPTORS = {
  { "a descriptor that is an array", function() return "[]" end,
    want = "datapackage.json:1: expected an object at the top level, got an array" },
  { "an empty descriptor", function() return "" end,
    want = "datapackage.json:1: malformed JSON: expected a value at the end of the text" },
  { "a descriptor of blanks", function() return " \n\t" end,
    want = "datapackage.json:2: malformed JSON: expected a value at the end of the text" },
  { "a profile that is not a string", rep('"profile": "tabular-data-package"', '"profile": 1'),
    want = "datapackage.json:4: profile must be a string" },
  { "no siqun object", rep('"siqun": {', '"siqun_": {'),
    want = "datapackage.json:1: missing object 'siqun' (the source the spans point into)" },
  { "siqun.format 2", rep('"format": 1,', '"format": 2,'),
    want = "datapackage.json:7: siqun.format: unsupported version (this library reads format 1)" },
  { "no siqun.source", rep('"source": {', '"source_": {'),
    want = "datapackage.json:6: missing object 'siqun.source'" },
  { "a short sha256", rep('"sha256": "87ae', '"sha256": "87a'),
    want = "datapackage.json:9: siqun.source.sha256: expected 64 lowercase hexadecimal digits" },
  { "negative bytes", rep('"bytes": 311', '"bytes": -1'),
    want = "datapackage.json:10: siqun.source.bytes: expected a non-negative integer" },
  { "no codepoints", rep('"codepoints": 115', '"codepoints_": 115'),
    want = "datapackage.json:8: siqun.source.codepoints: expected a non-negative integer" },
  { "more code points than bytes", rep('"bytes": 311', '"bytes": 100'),
    want = "datapackage.json:8: siqun.source: 115 code points cannot take 100 bytes of UTF-8" },
  { "no resources", rep('"resources": [', '"resources_": ['),
    want = "datapackage.json:1: resources must be a non-empty array" },
  { "too many resources", rep('"resources": [', '"resources": [' .. ('{ "name": "r", "path": "r.csv" },'):rep(64)),
    want = "datapackage.json:14: more than 64 resources" },
  { "a siqun field of the wrong type", rep('"name": "section",\n            "type": "integer"', '"name": "section",\n            "type": "string"'),
    want = "datapackage.json:223: resource 'figures': field 'section' must have type 'integer', not 'string'" },
  { "escapes of every length", rep('"title": "Fixture: an invented town bulletin"', '"title": "\\u0041\\u00e9\\u4e00\\ud83d\\ude00\\/\\b\\f\\n\\r\\t"'), want = true },
  { "a bad \\u escape", rep('"version": "0.0.1"', '"version": "\\u00g1"'),
    want = "datapackage.json:5: malformed JSON: bad \\u escape near '\\u00g1\",'" },
  { "a short \\u escape", rep('"version": "0.0.1"', '"version": "\\u00"'),
    want = "datapackage.json:5: malformed JSON: bad \\u escape near '\\u00\",'" },
  { "a high surrogate alone", rep('"version": "0.0.1"', '"version": "\\ud83dx"'),
    want = "datapackage.json:5: malformed JSON: unpaired surrogate in a \\u escape near '\\ud83dx\",'" },
  { "a low surrogate alone", rep('"version": "0.0.1"', '"version": "\\ude00"'),
    want = "datapackage.json:5: malformed JSON: unpaired surrogate in a \\u escape near '\\ude00\",'" },
  { "a bad escape", rep('"version": "0.0.1"', '"version": "\\x"'),
    want = "datapackage.json:5: malformed JSON: bad escape in a string near '\\x\",'" },
  { "an unterminated string", function(d) return d:sub(1, 60) end,
    want = "datapackage.json:3: malformed JSON: unterminated string near 'Fixture: an'" },
  { "a number with a leading zero", rep('"bytes": 311', '"bytes": 0311'),
    want = "datapackage.json:10: malformed JSON: expected ',' or '}' near '311,'" },
  { "a lone minus", rep('"bytes": 311', '"bytes": -'),
    want = "datapackage.json:10: malformed JSON: bad number near '-,'" },
  { "a number ending in a point", rep('"bytes": 311', '"bytes": 311.'),
    want = "datapackage.json:10: malformed JSON: bad number near ','" },
  { "an exponent without digits", rep('"bytes": 311', '"bytes": 3e'),
    want = "datapackage.json:10: malformed JSON: bad number near ','" },
  { "an exponent where an integer is expected", rep('"bytes": 311', '"bytes": 3.11e2'),
    want = "datapackage.json:10: siqun.source.bytes: expected a non-negative integer" },
  { "a misspelt literal", rep('"doubleQuote": true', '"doubleQuote": ture'),
    want = "datapackage.json:25: malformed JSON: expected a value near 'ture,'" },
  { "null where a value is expected", rep('"version": "0.0.1"', '"version": null'), want = true },
  { "a key that is not a string", rep('"version": "0.0.1"', '1: "0.0.1"'),
    want = "datapackage.json:5: malformed JSON: expected a string key near '1: \"0.0.1\",'" },
  { "a missing colon", rep('"version": "0.0.1"', '"version" "0.0.1"'),
    want = "datapackage.json:5: malformed JSON: expected ':' near '\"0.0.1\",'" },
  { "a missing comma in an array", rep('"resources": [', '"resources": [ 1 2,'),
    want = "datapackage.json:14: malformed JSON: expected ',' or ']' near '2,'" },
  { "too many members", rep('"version": "0.0.1",', (function() local t = {} for i = 1, 257 do t[i] = '"k' .. i .. '": 1, ' end return table.concat(t) end)()),
    want = "datapackage.json:5: malformed JSON: too many members in an object near '\"k254\": 1, \"k255'" },
  { "an unexpected character", rep('"version": "0.0.1"', '"version": @'),
    want = "datapackage.json:5: malformed JSON: expected a value near '@,'" },
  { "a control character near", rep('"version": "0.0.1"', '"version": \1'),
    want = "datapackage.json:5: malformed JSON: expected a value near byte 0x01" },
  { "siqun that is not an object", rep('"siqun": {', '"siqun": 1, "siqun_": {'),
    want = "datapackage.json:6: missing object 'siqun' (the source the spans point into)" },
  { "siqun.format missing", rep('"format": 1,', ''), want = true },
  { "siqun.format a string", rep('"format": 1,', '"format": "1",'),
    want = "datapackage.json:7: siqun.format: unsupported version (this library reads format 1)" },
  { "siqun.source that is not an object", rep('"source": {', '"source": 1, "source_": {'),
    want = "datapackage.json:8: missing object 'siqun.source'" },
  { "a sha256 that is a number", rep('"sha256": "87aeb215f69cbdccc077385921d48477bf7b98547941d9fbbd85b793c80656d4"', '"sha256": 1'),
    want = "datapackage.json:9: siqun.source.sha256: expected 64 lowercase hexadecimal digits" },
  { "no sha256", rep('"sha256": "87aeb215f69cbdccc077385921d48477bf7b98547941d9fbbd85b793c80656d4",', ''),
    want = "datapackage.json:8: siqun.source.sha256: expected 64 lowercase hexadecimal digits" },
  { "codepoints that are negative", rep('"codepoints": 115', '"codepoints": -1'),
    want = "datapackage.json:11: siqun.source.codepoints: expected a non-negative integer" },
  { "resources that are an object", rep('"resources": [', '"resources": {}, "resources_": ['),
    want = "datapackage.json:14: resources must be a non-empty array" },
  { "resources that are empty", rep('"resources": [', '"resources": [], "resources_": ['),
    want = "datapackage.json:14: resources must be a non-empty array" },
}

-- The siqun rules after the Table Schema (csrc/dataset/sq_rules.c): spans, the
-- quantities derived from texts, the numerals opening glossary terms.
-- { name, function(files) (edits the fixture's files in place), want = message or true }
local function sub(name, a, b)
  return function(files)
    local s = files[name]
    local i, j = s:find(a, 1, true)
    assert(i, "not in " .. name .. ": " .. a)
    files[name] = s:sub(1, i - 1) .. b .. s:sub(j + 1)
  end
end
local function extra(fields, csv)
  return function(files)
    sub("datapackage.json", '"resources": [', '"resources": [ ' .. F(fields) .. ',')(files)
    files["extra.csv"] = csv
  end
end
-- The glossary's second term renamed (and the quota naming it).
local function term(t)
  return function(files)
    sub("glossary.csv", "结对帮扶", t)(files)
    sub("quotas.csv", "pairing,结对帮扶", "pairing," .. t)(files)
  end
end
local SPAN = '{ "name": "id" }, { "name": "start", "type": "integer" }, { "name": "end", "type": "integer" }'
local RULES = {
  { "a span with a start only", extra(SPAN, "id,start,end\na,3,\n"),
    want = "extra.csv:2: field 'end': a span needs both start and end" },
  { "a span with an end only", extra(SPAN, "id,start,end\na,,3\n"),
    want = "extra.csv:2: field 'start': a span needs both start and end" },
  { "a span starting before the source", extra(SPAN, "id,start,end\na,-1,3\n"),
    want = "extra.csv:2: field 'start': span -1..3 starts before the source" },
  { "start and end that are text make no span",
    extra('{ "name": "id" }, { "name": "start" }, { "name": "end" }', "id,start,end\na,x,-1\n"),
    want = true },
  { "a start without an end makes no span",
    extra('{ "name": "id" }, { "name": "start", "type": "integer" }', "id,start\na,-1\n"),
    want = true },
  { "a figure that is a date", sub("figures.csv", "12场", "2012年7月1日"),
    want = "figures.csv:2: field 'text': '2012年7月1日' is a date, not a quantity" },
  { "a figure beyond 2^53", sub("figures.csv", "12场", "9000万亿场"), want = true },
  { "a term opening with digits", sub("glossary.csv", "三件事", "3件事"), want = true },
  { "a term opening with a numeral and 个", term("三个反思"),
    want = "glossary.csv:3: field 'term': '三个反思' has numeral 3 but 0 members" },
  { "a term whose numerals make no number", term("三三两两"), want = true },
  { "a term whose numeral is above a million", term("2000000件事"),
    want = true },
  { "a glossary keyed by its term", function(files)
      local d = files["datapackage.json"]
      local g = d:find('"name": "glossary"', 1, true)
      local i, j = d:find('"primaryKey": "id"', g, true)
      files["datapackage.json"] = d:sub(1, i - 1) .. '"primaryKey": "term"' .. d:sub(j + 1)
    end, want = true },
}

-- Cell forms, one a case: { field JSON properties, value, true when read }.
-- A refusal says "expected <WHAT[type]>, got '<value>'".
local WHAT = {
  integer = "an integer", number = "a number", date = "a date (YYYY-MM-DD)",
  datetime = "a datetime (YYYY-MM-DDThh:mm:ss with an optional zone)", year = "a year (YYYY)",
  uri = "a URI", email = "an email address",
}
local CELLS = {
  { "integer", "0", true }, { "integer", "-0", true }, { "integer", "+12", true },
  { "integer", "1.0" }, { "integer", "1e3" }, { "integer", "12a" }, { "integer", "--1" },
  { "integer", "-9223372036854775809" }, { "integer", "9223372036854775807", true },
  { "number", "-.5", true }, { "number", "+INF", true }, { "number", "1E+5", true },
  { "number", "1e-5", true }, { "number", "5.", true }, { "number", "1e+" }, { "number", "." },
  { "number", "+" }, { "number", "-NaN" }, { "number", "Infinity" }, { "number", "1_000" },
  { "number", "0." .. ("0"):rep(70) .. "1" }, { "number", "1e99999999", false },
  { "number", "1e-99999999", true },
  { "date", "2020-02-30" }, { "date", "2020/02/01" }, { "date", "2020-02-0a" },
  { "date", "20200201xx" }, { "date", "2020-00-10" }, { "date", "2020-01-00" },
  { "datetime", "2020-03-01 08:00:00" }, { "datetime", "2020-03-01T08-00:00" },
  { "datetime", "2020-03-01T08:00-00" }, { "datetime", "2020-03-01T08:60:00" },
  { "datetime", "2020-03-01T08:00:61" }, { "datetime", "2020-03-01T0a:00:00" },
  { "datetime", "2020-03-01T08:00:00+08:60" }, { "datetime", "2020-03-01T08:00:00+08-00" },
  { "datetime", "2020-03-01T08:00:00+0800" }, { "datetime", "2020-03-01T08:00:00.5+08:00", true },
  { "datetime", "2020-02-30T08:00:00" }, { "datetime", "2020-03-01T08:00" },
  { "datetime", "2020-03-01T08:00:00x" }, { "datetime", "2020-03-01T08:00:00-2a:00" },
  { "year", "20a2" }, { "year", "02012" },
  { "uri", "a+b.c-d:x", true }, { "uri", "a:" , true }, { "uri", ":x" }, { "uri", "a_b:x" },
  { "uri", "ab" }, { "uri", "a: b" }, { "email", "@b" },
}

local function check(name, ds, err, want)
  if want == true then
    assert(ds ~= nil, name .. ": refused: " .. tostring(err))
  else
    assert(ds == nil, name .. ": opened")
    assert.equal(want, err, name)
  end
end

describe("a resource of the descriptor", function()
  for _, c in ipairs(RESOURCES) do
    it(c[1], function()
      local desc = base["datapackage.json"]:gsub('"resources": %[', function()
        return '"resources": [ ' .. c[2] .. ','
      end, 1)
      local ds, err = open_with(desc, c[3])
      check(c[1], ds, err, c.want)
    end)
  end
end)

describe("the siqun rules", function()
  for _, c in ipairs(RULES) do
    it(c[1], function()
      local files = {}
      for name, s in pairs(base) do files[name] = s end
      c[2](files)
      local desc, csv = files["datapackage.json"], files["extra.csv"]
      files["datapackage.json"], files["extra.csv"] = nil, nil
      local saved = base
      base = files
      local ok, ds, err = pcall(open_with, desc, csv)
      base = saved
      assert(ok, ds)
      check(c[1], ds, err, c.want)
    end)
  end
end)

describe("a cell", function()
  for _, c in ipairs(CELLS) do
    local kind, value, ok = c[1], c[2], c[3]
    it(("of type or format %s: '%s'"):format(kind, value), function()
      local prop = WHAT[kind] and (kind == "uri" or kind == "email") and
                   ('"format": "' .. kind .. '"') or ('"type": "' .. kind .. '"')
      local desc = base["datapackage.json"]:gsub('"resources": %[', function()
        return '"resources": [ ' .. F('{ "name": "id" }, { "name": "v", ' .. prop .. ' }') .. ','
      end, 1)
      local ds, err = open_with(desc, "id,v\na," .. value .. "\n")
      if ok then
        check(value, ds, err, true)
      else
        local shown = #value > 48 and value:sub(1, 48) .. "..." or value
        check(value, ds, err, ("extra.csv:2: field 'v': expected %s, got '%s'")
              :format(WHAT[kind], shown))
      end
    end)
  end
end)

describe("the descriptor", function()
  for _, c in ipairs(DESCRIPTORS) do
    it(c[1], function()
      local ds, err = open_with(c[2](base["datapackage.json"]))
      check(c[1], ds, err, c.want)
    end)
  end
end)
