// Runs one test case of a code_tests job in its own process: the candidate's code, then the case. Reports one
// token-prefixed JSON line on the result descriptor and exits at once, so timers the candidate left do not delay it.
'use strict';
const fs = require('fs');
const vm = require('vm');
const assert = require('assert');

const index = Number(process.argv[2]);
const fd = Number(process.argv[3]);
const token = readLine(0);
process.argv.length = 2;

function readLine(from) {
  const buf = Buffer.alloc(256);
  let text = '';
  while (!text.includes('\n')) {
    let n;
    try { n = fs.readSync(from, buf, 0, buf.length, null); } catch (e) { if (e.code === 'EAGAIN') continue; break; }
    if (n === 0) break;
    text += buf.toString('latin1', 0, n);
  }
  return text.split('\n')[0].trim();
}

const writeSync = fs.writeSync;
const exit = process.reallyExit ? process.reallyExit.bind(process) : process.exit.bind(process);
function report(status, message) {
  const line = token + ' ' + JSON.stringify({ status, message: String(message || '').slice(0, 2000) }) + '\n';
  try { writeSync(fd, line); } finally { exit(0); }
}

const spec = JSON.parse(fs.readFileSync('/verigen/tests.json', 'utf8'));
const testCase = spec.cases[index];
const solution = fs.readFileSync('/verigen/solution.js', 'utf8');
const testFile = 'test#' + index;
const sources = { 'solution.js': solution, [testFile]: testCase.code || '', 'tests.js': spec.source || '' };

function describe(e) {
  let text;
  if (e instanceof Error || (e && typeof e === 'object' && 'message' in e)) {
    const name = (e && e.name) || 'Error';
    const msg = String(e.message || '').replace(/\s+/g, ' ').trim();
    text = msg ? name + ': ' + msg : name;
  } else {
    text = 'threw ' + safeShow(e);
  }
  const stack = e && typeof e.stack === 'string' ? e.stack : '';
  const re = /(solution\.js|tests\.js|test#\d+):(\d+)(?::\d+)?/g;
  let m; let where = null;
  while ((m = re.exec(stack)) !== null) {
    if (m[1] in sources) { where = [m[1], Number(m[2])]; break; }
  }
  if (where) {
    const lines = sources[where[0]].split('\n');
    const src = where[1] > 0 && where[1] <= lines.length ? lines[where[1] - 1].trim() : '';
    text += ' at ' + where[0] + ' line ' + where[1] + (src ? ': ' + src : '');
  }
  return text;
}

function safeShow(v) {
  let text;
  try { text = JSON.stringify(v); } catch (e) { text = undefined; }
  if (text === undefined) text = '<' + typeof v + '>';
  return text.length <= 200 ? text : text.slice(0, 200) + '...';
}

// JSON-shaped structural equality; never trusts a candidate object's own methods
function same(got, expected) {
  if (expected === null) return got === null;
  if (typeof expected === 'number') {
    return typeof got === 'number' && (got === expected || Math.abs(got - expected) <= 1e-9 * Math.max(1, Math.abs(expected)));
  }
  if (typeof expected === 'string' || typeof expected === 'boolean') return got === expected;
  if (Array.isArray(expected)) {
    return Array.isArray(got) && Object.getPrototypeOf(got) === Array.prototype && got.length === expected.length
      && expected.every((x, i) => same(got[i], x));
  }
  if (typeof expected === 'object') {
    if (got === null || typeof got !== 'object' || Array.isArray(got)) return false;
    const proto = Object.getPrototypeOf(got);
    if (proto !== Object.prototype && proto !== null) return false;
    const gk = Object.keys(got); const ek = Object.keys(expected);
    return gk.length === ek.length && ek.every((k) => Object.prototype.hasOwnProperty.call(got, k) && same(got[k], expected[k]));
  }
  return false;
}

process.on('uncaughtException', (e) => report('fail', 'uncaught ' + describe(e)));
process.on('unhandledRejection', (e) => report('fail', 'unhandled rejection ' + describe(e)));

async function main() {
  globalThis.assert = assert;
  globalThis.require = require;
  globalThis.module = { exports: {} };
  globalThis.exports = globalThis.module.exports;
  try {
    vm.runInThisContext(solution, { filename: 'solution.js' });
  } catch (e) {
    report('error', 'the solution failed to load: ' + describe(e));
  }
  const exported = globalThis.module && globalThis.module.exports;
  if (exported && (typeof exported === 'object' || typeof exported === 'function')) {
    for (const k of Object.keys(exported)) {
      if (!(k in globalThis)) globalThis[k] = exported[k];
    }
  }
  const entry = spec.entrypoint;
  const lookup = (name) => { try { return vm.runInThisContext(name); } catch (e) { return undefined; } };
  if (entry && typeof lookup(entry) !== 'function') {
    report('fail', "the solution defines no function '" + entry + "'");
  }
  try {
    if (testCase.kind === 'code') {
      const fn = vm.runInThisContext('(async () => {\n' + testCase.code + '\n})', { filename: testFile, lineOffset: -1 });
      await fn();
    } else if (testCase.kind === 'function') {
      vm.runInThisContext(spec.source, { filename: 'tests.js' });
      await lookup(testCase.name)();
    } else if (testCase.kind === 'call') {
      const args = testCase.args || [];
      const got = await lookup(entry)(...args);
      if (!same(got, testCase.expected)) {
        report('fail', entry + '(' + args.map(safeShow).join(', ') + ') returned ' + safeShow(got)
          + ', expected ' + safeShow(testCase.expected));
      }
    } else {
      report('error', 'unknown test kind ' + testCase.kind);
    }
  } catch (e) {
    report('fail', describe(e));
  }
  report('pass');
}

main().catch((e) => report('fail', describe(e)));
