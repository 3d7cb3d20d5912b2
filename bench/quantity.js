// quantity, JavaScript side: expressions per second of npm's
// chinese-parseint2, chinese-numbers-converter and nzh over the same list
// and with the same loop as the Lua side (bench/pair_quantity.lua), each
// after a warm-up that lets V8 optimise it.  The three take turns.
//   node bench/quantity.js EXPRESSIONS.txt EXPECTED.txt
// Prints, per library: `JS <name> rate=<expr/s> agree=<n>/<total>
// agreeA=<n>/<group A>`, where agree counts the expressions read to the
// value siqun gives (EXPECTED.txt: one value a line, `nil` for none).
'use strict';
const fs = require('fs');
const path = require('path');

const here = __dirname;
const req = (name) => require(path.join(here, 'node_modules', name));
const cp2 = req('chinese-parseint2');
const ChineseNumber = req('chinese-numbers-converter');
const Nzh = req('nzh');

const lines = (file) => fs.readFileSync(file, 'utf8').split('\n');
const exprs = lines(process.argv[2]).filter((l) => l !== '' && !l.startsWith('#'));
const expected = process.argv[3] ? lines(process.argv[3]).slice(0, exprs.length).map(Number) : [];
const groupA = Number((fs.readFileSync(process.argv[2], 'utf8').match(/(\d+) plain Chinese integers/) || [0, 0])[1]);

const libs = [
  ['chinese-parseint2', (s) => cp2.chinese_parseInt(s)],
  ['chinese-numbers-converter', (s) => new ChineseNumber(s).toInteger()],
  ['nzh', (s) => Number(Nzh.cn.decodeS(s))],
];

// The loop the Lua side runs: convert each expression, add up the values.
function pass(fn) {
  let sum = 0;
  for (let i = 0; i < exprs.length; i++) {
    let v;
    try { v = fn(exprs[i]); } catch (e) { v = NaN; }
    if (typeof v === 'number' && v === v) sum += v;
  }
  return sum;
}

function measure(fn, seconds) {
  let n = 0, sink = 0;
  const t0 = process.hrtime.bigint();
  let t;
  do {
    sink += pass(fn);
    n++;
    t = Number(process.hrtime.bigint() - t0) / 1e9;
  } while (t < seconds);
  if (sink === -1) console.log('');
  return (n * exprs.length) / t;
}

for (const [, fn] of libs) measure(fn, 0.25); // warm-up
const rates = libs.map(() => []);
for (let r = 0; r < 3; r++) {
  libs.forEach(([, fn], i) => rates[i].push(measure(fn, 0.1)));
}
const median = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
libs.forEach(([name, fn], i) => {
  let agree = 0, agreeA = 0;
  exprs.forEach((s, k) => {
    let v;
    try { v = fn(s); } catch (e) { v = NaN; }
    if (k < expected.length && v === expected[k]) {
      agree++;
      if (k < groupA) agreeA++;
    }
  });
  console.log(`JS ${name} rate=${median(rates[i]).toFixed(0)} agree=${agree}/${exprs.length} agreeA=${agreeA}/${groupA}`);
});
