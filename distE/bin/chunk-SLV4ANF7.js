import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);
import {
  _default,
  _enum,
  _minLength,
  _null,
  _positive,
  _regex,
  array,
  boolean,
  int,
  optional,
  record,
  refine,
  strictObject,
  string,
  union,
  unknown
} from "./chunk-WLUU6SAW.js";
import {
  EXECUTOR_KINDS,
  displayPath,
  readYamlSource,
  schemaError
} from "./chunk-QD3IAF33.js";
import {
  yaml
} from "./chunk-DD6A6ORU.js";
import {
  flattenParams,
  interpolate,
  lookupPath,
  referencedParams,
  setPath
} from "./chunk-VRTVQOPA.js";
import {
  PipelineError,
  closestName
} from "./chunk-VYRDMYYG.js";

// src/define/yaml-pipeline.ts
import { existsSync, readFileSync } from "node:fs";

// node_modules/smol-toml/dist/error.js
function getLineColFromPtr(string2, ptr) {
  let lines = string2.slice(0, ptr).split(/\r?\n/);
  return [lines.length, lines.pop().length + 1];
}
function makeCodeBlock(string2, line, column) {
  let lines = string2.split(/\r?\n/);
  let codeblock = "";
  let numberLen = (Math.log10(line + 1) | 0) + 1;
  for (let i = line - 1; i <= line + 1; i++) {
    let l = lines[i - 1];
    if (!l)
      continue;
    codeblock += i.toString().padEnd(numberLen, " ");
    codeblock += ":  ";
    codeblock += l;
    codeblock += "\n";
    if (i === line) {
      codeblock += " ".repeat(numberLen + column + 2);
      codeblock += "^\n";
    }
  }
  return codeblock;
}
var TomlError = class _TomlError extends Error {
  line;
  column;
  codeblock;
  constructor(message, options) {
    const [line, column] = getLineColFromPtr(options.toml, options.ptr);
    const codeblock = makeCodeBlock(options.toml, line, column);
    super(`Invalid TOML document: ${message}

${codeblock}`, options);
    this.line = line;
    this.column = column;
    this.codeblock = codeblock;
  }
  /** @internal */
  static x(message, ctx, ptr) {
    throw new _TomlError(message, { toml: ctx.s, ptr: ptr ?? ctx.p });
  }
};

// node_modules/smol-toml/dist/primitive.js
function parseString(ctx) {
  let startPtr = ctx.p;
  let c = ctx.s.charCodeAt(ctx.p++);
  let first = c;
  let isLiteral = c === 39;
  let isMultiline = c === ctx.s.charCodeAt(ctx.p) && c === ctx.s.charCodeAt(ctx.p + 1);
  if (isMultiline) {
    if ((c = ctx.s.charCodeAt(ctx.p += 2)) === 10)
      ctx.p++;
    else if (c === 13 && ctx.s.charCodeAt(ctx.p + 1) === 10)
      ctx.p += 2;
  }
  let parsed = "";
  let sliceStart = ctx.p;
  let state = 0;
  for (; ctx.p < ctx.s.length; ctx.p++) {
    c = ctx.s.charCodeAt(ctx.p);
    if (isMultiline && (c === 10 || c === 13 && ctx.s.charCodeAt(ctx.p + 1) === 10)) {
      state = state && 3;
    } else if (c < 32 && c !== 9 || c === 127) {
      TomlError.x("control characters are not allowed in strings", ctx);
    } else if ((!state || state === 3) && c === first && (!isMultiline || ctx.s.charCodeAt(ctx.p + 1) === first && ctx.s.charCodeAt(ctx.p + 2) === first)) {
      if (isMultiline) {
        if (ctx.s.charCodeAt(ctx.p + 3) === first)
          ctx.p++;
        if (ctx.s.charCodeAt(ctx.p + 3) === first)
          ctx.p++;
      }
      if (!state) {
        let s = ctx.s.slice(sliceStart, ctx.p);
        parsed = parsed ? parsed + s : s;
      }
      ctx.p += isMultiline ? 3 : 1;
      return parsed;
    } else if (!state) {
      if (!isLiteral && c === 92) {
        parsed += ctx.s.slice(sliceStart, sliceStart = ctx.p);
        state = 1;
      }
    } else if (state === 1) {
      if (c === 120 || c === 117 || c === 85) {
        let errPtr = ctx.p++ - 1;
        let value = 0;
        let len = c === 120 ? 2 : c === 117 ? 4 : 8;
        for (let j = 0; j < len; j++, ctx.p++) {
          let hex = ctx.s.charCodeAt(ctx.p);
          let digit = (
            /* 0-9 */
            hex >= 48 && hex <= 57 ? hex - 48 : (
              /* A-F */
              hex >= 65 && hex <= 70 ? hex - 65 + 10 : (
                /* a-f */
                hex >= 97 && hex <= 102 ? hex - 97 + 10 : -1
              )
            )
          );
          if (digit < 0)
            TomlError.x("invalid non-hex character in unicode escape", ctx);
          value = value << 4 | digit;
        }
        if (value < 0 || value > 1114111 || value >= 55296 && value <= 57343) {
          TomlError.x("invalid unicode escape", ctx, errPtr);
        }
        parsed += String.fromCodePoint(value);
        sliceStart = ctx.p--;
        state = 0;
      } else if (isMultiline && (c === 32 || c === 9)) {
        state = 2;
      } else {
        if (c === 98)
          parsed += "\b";
        else if (c === 116)
          parsed += "	";
        else if (c === 110)
          parsed += "\n";
        else if (c === 102)
          parsed += "\f";
        else if (c === 114)
          parsed += "\r";
        else if (c === 101)
          parsed += "\x1B";
        else if (c === 34)
          parsed += '"';
        else if (c === 92)
          parsed += "\\";
        else
          TomlError.x("unrecognised escape sequence", ctx);
        sliceStart = ctx.p + 1;
        state = 0;
      }
    } else if (c !== 32 && c !== 9) {
      if (state === 2)
        TomlError.x("invalid escape: only line-ending whitespace may be escaped", ctx, sliceStart);
      state = !isLiteral && c === 92 ? 1 : 0;
      sliceStart = ctx.p;
    }
  }
  TomlError.x("unfinished string", ctx, startPtr);
}

// node_modules/smol-toml/dist/date.js
var DATE_TIME_RE = /^(\d{4}-\d{2}-\d{2})?[Tt ]?(?:(\d{2}):\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|z|[-+]\d{2}:\d{2})?$/i;
var TomlDate = class _TomlDate extends Date {
  #hasDate = false;
  #hasTime = false;
  #offset = null;
  constructor(date, fasttype, unsafeDelim) {
    let hasDate = true;
    let hasTime = true;
    let offset = "Z";
    let c;
    if (typeof date === "string") {
      if (fasttype)
        prep: {
          if (fasttype < 3) {
            if (+date.slice(11, 13) > 23) {
              date = "";
              break prep;
            }
            if (fasttype === 2) {
              offset = null;
              date += "Z";
            } else if ((c = date.charCodeAt(date.length - 1)) !== 90 && c !== 122) {
              offset = date.slice(date.length - 6);
            }
            if (unsafeDelim)
              date = date.slice(0, 10) + "T" + date.slice(11);
          } else if (fasttype === 4) {
            date = +date.slice(0, 2) > 23 ? "" : `0000-01-01T${date}Z`;
          }
          hasDate = fasttype !== 4;
          hasTime = fasttype !== 3;
        }
      else {
        let match = date.match(DATE_TIME_RE);
        if (match) {
          if (!match[1]) {
            hasDate = false;
            date = `0000-01-01T${date}`;
          }
          hasTime = !!match[2];
          hasTime && date[10] === " " && (date = date.replace(" ", "T"));
          if (match[2] && +match[2] > 23) {
            date = "";
          } else {
            offset = match[3] || null;
            if (!offset && hasTime)
              date += "Z";
          }
        } else {
          date = "";
        }
      }
    }
    super(date);
    if (!isNaN(this.getTime())) {
      this.#hasDate = hasDate;
      this.#hasTime = hasTime;
      this.#offset = offset;
    }
  }
  isDateTime() {
    return this.#hasDate && this.#hasTime;
  }
  isLocal() {
    return !this.#hasDate || !this.#hasTime || !this.#offset;
  }
  isDate() {
    return this.#hasDate && !this.#hasTime;
  }
  isTime() {
    return this.#hasTime && !this.#hasDate;
  }
  isValid() {
    return this.#hasDate || this.#hasTime;
  }
  toISOString() {
    let iso = super.toISOString();
    if (this.isDate())
      return iso.slice(0, 10);
    if (this.isTime())
      return iso.slice(11, 23);
    if (this.#offset === null)
      return iso.slice(0, -1);
    if (this.#offset === "Z" || this.#offset === "z")
      return iso;
    let offset = +this.#offset.slice(1, 3) * 60 + +this.#offset.slice(4, 6);
    offset = this.#offset[0] === "-" ? offset : -offset;
    let offsetDate = new Date(this.getTime() - offset * 6e4);
    return offsetDate.toISOString().slice(0, -1) + this.#offset;
  }
  static wrapAsOffsetDateTime(jsDate, offset = "Z") {
    let date = new _TomlDate(jsDate);
    date.#offset = offset;
    return date;
  }
  static wrapAsLocalDateTime(jsDate) {
    let date = new _TomlDate(jsDate);
    date.#offset = null;
    return date;
  }
  static wrapAsLocalDate(jsDate) {
    let date = new _TomlDate(jsDate);
    date.#hasTime = false;
    date.#offset = null;
    return date;
  }
  static wrapAsLocalTime(jsDate) {
    let date = new _TomlDate(jsDate);
    date.#hasDate = false;
    date.#offset = null;
    return date;
  }
};

// node_modules/smol-toml/dist/extract.js
function isDigit(char, base = 10) {
  return base === 16 ? char > 47 && char < 58 || char > 64 && char < 71 || char > 96 && char < 103 : char > 47 && char < 48 + base;
}
function isEndOfValue(char, delim) {
  return char === 32 || char === 9 || char === 10 || char === 13 || // Structure end or next value delimiter
  delim && (char === delim || char === 44) || // Comment
  char === 35;
}
function extractValue(ctx, end) {
  let errPtr = ctx.p;
  let c = ctx.s.charCodeAt(ctx.p);
  if (c === 91 || c === 123) {
    ctx.d-- || TomlError.x("document contains excessively nested structures. aborting.", ctx);
    let value = c === 91 ? parseArray(ctx) : parseInlineTable(ctx);
    ctx.d++;
    return value;
  }
  if (c === 34 || c === 39) {
    return parseString(ctx);
  }
  if (c === 116) {
    if (ctx.s.charCodeAt(++ctx.p) !== 114 || ctx.s.charCodeAt(++ctx.p) !== 117 || ctx.s.charCodeAt(++ctx.p) !== 101)
      TomlError.x("invalid value", ctx, errPtr);
    return ctx.p++, true;
  }
  if (c === 102) {
    if (ctx.s.charCodeAt(++ctx.p) !== 97 || ctx.s.charCodeAt(++ctx.p) !== 108 || ctx.s.charCodeAt(++ctx.p) !== 115 || ctx.s.charCodeAt(++ctx.p) !== 101)
      TomlError.x("invalid value", ctx, errPtr);
    return ctx.p++, false;
  }
  if (c === 43 || c === 45) {
    return parseNumber(ctx, ctx.p, ctx.s.charCodeAt(++ctx.p), 44 - c, end);
  }
  if (ctx.s.charCodeAt(ctx.p + 4) === 45 && ctx.s.charCodeAt(ctx.p + 7) === 45) {
    return parseDate(ctx, c, end);
  }
  if (ctx.s.charCodeAt(ctx.p + 2) === 58) {
    return parseTime(ctx, c, end);
  }
  return parseNumber(ctx, ctx.p, c, 0, end);
}
function parseNumber(ctx, startPtr, startChr, sign, endChr) {
  let c = startChr;
  let state = 0;
  let hasUnderscores = false;
  if (c === 105) {
    if (ctx.s.charCodeAt(++ctx.p) !== 110 || ctx.s.charCodeAt(++ctx.p) !== 102)
      TomlError.x("invalid value", ctx, startPtr);
    return ctx.p++, (sign || 1) / 0;
  }
  if (c === 110) {
    if (ctx.s.charCodeAt(++ctx.p) !== 97 || ctx.s.charCodeAt(++ctx.p) !== 110)
      TomlError.x("invalid value", ctx, startPtr);
    return ctx.p++, NaN;
  }
  if (c === 48) {
    if (++ctx.p >= ctx.s.length || isEndOfValue(c = ctx.s.charCodeAt(ctx.p), endChr))
      return ctx.bi === true ? 0n : 0;
    if (!sign) {
      if (c === 120)
        return parseIntegerBaseN(ctx, startPtr, 16, endChr);
      else if (c === 98)
        return parseIntegerBaseN(ctx, startPtr, 2, endChr);
      else if (c === 111)
        return parseIntegerBaseN(ctx, startPtr, 8, endChr);
    }
    if (c === 46)
      state = 2;
    else if (c === 101 || c === 69)
      state = 4;
    else
      TomlError.x("illegal leading zero", ctx, startPtr);
  } else if (!isDigit(c))
    TomlError.x("invalid value", ctx, startPtr);
  while (++ctx.p < ctx.s.length && (c = ctx.s.charCodeAt(ctx.p), !isEndOfValue(c, endChr))) {
    if (!state)
      state = 1;
    if (c === 95) {
      if (!(state & 1))
        TomlError.x("illegal underscore", ctx);
      state += 11;
      hasUnderscores = true;
    } else if (state === 1 && c === 46)
      state = 2;
    else if ((state === 1 || state === 3) && (c === 101 || c === 69))
      state = 4;
    else if (state === 4 && (c === 43 || c === 45)) {
      state = 6;
    } else if (!isDigit(c))
      TomlError.x(`illegal character in numeric literal`, ctx);
    else if (state > 9)
      state -= 11;
    else if (!(state & 1))
      state++;
  }
  if (!state) {
    let val = (startChr - 48) * (sign || 1);
    return ctx.bi === true ? BigInt(val) : val;
  }
  if (!(state & 1))
    TomlError.x("unfinished numeric value", ctx, startPtr);
  let str = ctx.s.slice(startPtr, ctx.p);
  if (hasUnderscores)
    str = str.replaceAll("_", "");
  return state > 1 ? parseFloat(str) : parseInteger(ctx, str, 10, startPtr);
}
function parseIntegerBaseN(ctx, startPtr, base, endChr) {
  let c, underscore = 1;
  while (++ctx.p < ctx.s.length && (c = ctx.s.charCodeAt(ctx.p), !isEndOfValue(c, endChr))) {
    if (c === 95) {
      if (underscore & 1)
        TomlError.x("illegal underscore", ctx);
      underscore = 3;
    } else if (!isDigit(c, base))
      TomlError.x(`illegal character in numeric literal`, ctx);
    else if (underscore & 1)
      underscore--;
  }
  if (underscore & 1)
    TomlError.x("unfinished numeric value", ctx);
  let str = ctx.s.slice(startPtr + 2, ctx.p);
  if (underscore)
    str = str.replaceAll("_", "");
  return parseInteger(ctx, str, base, startPtr);
}
function parseInteger(ctx, str, base, startPtr) {
  if (ctx.bi !== true)
    int: {
      let val = parseInt(str, base);
      if (!Number.isSafeInteger(val)) {
        if (ctx.bi)
          break int;
        TomlError.x("integer value cannot be represented losslessly", ctx, startPtr);
      }
      return val;
    }
  return base === 10 ? BigInt(str) : BigInt((base === 2 ? "0b" : base === 8 ? "0o" : "0x") + str);
}
function parseDate(ctx, c, endChr) {
  let startPtr = ctx.p++, unsafeSeparator;
  if (!isDigit(c) || !isDigit(ctx.s.charCodeAt(ctx.p++)) || !isDigit(ctx.s.charCodeAt(ctx.p++)) || !isDigit(ctx.s.charCodeAt(ctx.p++))) {
    return parseNumber(ctx, ctx.p = startPtr, c, 0, endChr);
  }
  ctx.p += 5;
  if (!isDigit(ctx.s.charCodeAt(ctx.p++)))
    TomlError.x("invalid date-time: date part is malformed", ctx, startPtr);
  if (ctx.p >= ctx.s.length || ((c = ctx.s.charCodeAt(ctx.p)) !== 32 || (unsafeSeparator = true, !isDigit(ctx.s.charCodeAt(ctx.p + 1)))) && c !== 84 && c !== 116) {
    let t2 = ctx.s.slice(startPtr, ctx.p);
    return readDate(ctx, t2, 3, false, startPtr);
  }
  if (ctx.s.charCodeAt(ctx.p += 3) !== 58)
    TomlError.x("invalid date-time: time part is malformed", ctx, startPtr);
  if (ctx.s.charCodeAt(ctx.p += 3) === 58)
    ctx.p += 3;
  if (ctx.s.charCodeAt(ctx.p) === 46)
    while (isDigit(ctx.s.charCodeAt(++ctx.p)))
      ;
  if (c = ctx.s.charCodeAt(ctx.p)) {
    if (c === 90 || c === 122) {
      let t2 = ctx.s.slice(startPtr, ++ctx.p);
      return readDate(ctx, t2, 1, unsafeSeparator, startPtr, "[+00:00]");
    }
    if (c === 43 || c === 45) {
      let t2 = ctx.s.slice(startPtr, ctx.p += 6);
      return readDate(ctx, t2, 1, unsafeSeparator, startPtr, !ctx.ld && "[" + ctx.s.slice(ctx.p - 6, ctx.p) + "]");
    }
  }
  let t = ctx.s.slice(startPtr, ctx.p);
  return readDate(ctx, t, 2, unsafeSeparator, startPtr);
}
function parseTime(ctx, c, endChr) {
  let start = ctx.p;
  if (!isDigit(c) || !isDigit(ctx.s.charCodeAt(++ctx.p))) {
    return parseNumber(ctx, --ctx.p, c, 0, endChr);
  }
  if (ctx.s.charCodeAt(ctx.p += 4) === 58)
    ctx.p += 3;
  if (ctx.s.charCodeAt(ctx.p) === 46)
    while (isDigit(ctx.s.charCodeAt(++ctx.p)))
      ;
  let t = ctx.s.slice(start, ctx.p);
  return readDate(ctx, t, 4, false, start);
}
function readDate(ctx, str, type, unsafeDelim, errPtr, temporalSuffix) {
  if (ctx.ld) {
    let date = new TomlDate(str, type, unsafeDelim);
    if (!date.isValid())
      TomlError.x("invalid date", ctx, errPtr);
    return date;
  }
  try {
    if (temporalSuffix)
      str += temporalSuffix;
    switch (type) {
      case 1:
        return Temporal.ZonedDateTime.from(str);
      case 2:
        return Temporal.PlainDateTime.from(str);
      case 3:
        return Temporal.PlainDate.from(str);
      case 4:
        return Temporal.PlainTime.from(str);
    }
  } catch (e) {
    TomlError.x(e instanceof Error ? e.message : "" + e, ctx, errPtr);
  }
}

// node_modules/smol-toml/dist/util.js
function skipComment(ctx) {
  for (; ctx.p < ctx.s.length; ctx.p++) {
    let c = ctx.s.charCodeAt(ctx.p);
    if (c === 10)
      break;
    if (c === 13 && ctx.s.charCodeAt(ctx.p + 1) === 10) {
      ctx.p++;
      break;
    }
    if (c < 32 && c !== 9 || c === 127) {
      TomlError.x("control characters are not allowed in comments", ctx);
    }
  }
}
function skipVoid(ctx, banNewLines, banComments) {
  let c;
  while (ctx.p < ctx.s.length) {
    while (ctx.p < ctx.s.length && ((c = ctx.s.charCodeAt(ctx.p)) === 32 || c === 9 || !banNewLines && (c === 10 || c === 13 && ctx.s.charCodeAt(ctx.p + 1) === 10)))
      ctx.p++;
    if (banComments || c !== 35)
      break;
    skipComment(ctx);
  }
}

// node_modules/smol-toml/dist/struct.js
function parseKey(ctx, end = 61) {
  let startPtr;
  let state = 0;
  let parsed = [];
  let sliceStart;
  let c = ctx.s.charCodeAt(startPtr = ctx.p);
  do {
    if (c === end) {
      if (!state)
        TomlError.x("unexpected end of key", ctx);
      if (state === 1)
        parsed.push(ctx.s.slice(sliceStart, ctx.p));
      return ctx.p++, parsed;
    } else if (c === 46) {
      if (!state)
        TomlError.x("illegal empty bare key", ctx);
      if (state === 1)
        parsed.push(ctx.s.slice(sliceStart, ctx.p));
      state = 0;
    } else if (!state && (c === 34 || c === 39)) {
      if (c === ctx.s.charCodeAt(ctx.p + 1) && c === ctx.s.charCodeAt(ctx.p + 2))
        TomlError.x("illegal quoted key: multiline strings are not allowed", ctx);
      parsed.push(parseString(ctx));
      state = 2;
      ctx.p--;
    } else if (c === 32 || c === 9) {
      if (state === 1) {
        parsed.push(ctx.s.slice(sliceStart, ctx.p));
        state = 2;
      }
    } else if (state === 2 || c < 48 && c !== 45 || c > 57 && c < 65 || c > 90 && c < 97 && c !== 95 || c > 122) {
      TomlError.x("illegal character in key", ctx);
    } else if (!state) {
      state = 1;
      sliceStart = ctx.p;
    }
  } while (c = ctx.s.charCodeAt(++ctx.p));
  TomlError.x("incomplete key-value: cannot find end of key", ctx, startPtr);
}
function parseInlineTable(ctx) {
  let startPtr = ctx.p++;
  let res = /* @__PURE__ */ Object.create(null);
  let seen = /* @__PURE__ */ new Set();
  let c;
  while (ctx.p < ctx.s.length) {
    skipVoid(ctx);
    if ((c = ctx.s.charCodeAt(ctx.p)) === 125) {
      ctx.p++;
      return res;
    }
    let k;
    let t = res;
    let hasOwn = false;
    let errPtr = ctx.p;
    let key = parseKey(ctx);
    for (let i = 0; i < key.length; i++) {
      if (i)
        t = hasOwn ? t[k] : t[k] = /* @__PURE__ */ Object.create(null);
      k = key[i];
      if ((hasOwn = Object.hasOwn(t, k)) && (typeof t[k] !== "object" || seen.has(t[k]))) {
        TomlError.x("trying to redefine an already defined value", ctx, errPtr);
      }
      let unsafe = k === "__proto__";
      if (ctx.uk && (unsafe || k === "constructor")) {
        t = ctx.uk !== 1 && TomlError.x("document contains an unsafe property", ctx, errPtr);
        break;
      }
      if (!hasOwn && unsafe) {
        Object.defineProperty(t, k, { enumerable: true, configurable: true, writable: true });
      }
    }
    if (hasOwn) {
      TomlError.x("trying to redefine an already defined value", ctx, errPtr);
    }
    skipVoid(ctx, true, true);
    let value = extractValue(
      ctx,
      125
      /* } */
    );
    if (t && typeof (t[k] = value) === "object")
      seen.add(value);
    skipVoid(ctx);
    if ((c = ctx.s.charCodeAt(ctx.p++)) === 125) {
      return res;
    }
    if (c !== 44)
      TomlError.x("expected comma or end of structure", ctx, ctx.p - 1);
  }
  TomlError.x("unfinished table", ctx, startPtr);
}
function parseArray(ctx) {
  let startPtr = ctx.p++;
  let res = [];
  let c;
  while (ctx.p < ctx.s.length) {
    skipVoid(ctx);
    if ((c = ctx.s.charCodeAt(ctx.p)) === 93) {
      ctx.p++;
      return res;
    }
    res.push(extractValue(
      ctx,
      93
      /* ] */
    ));
    skipVoid(ctx);
    if ((c = ctx.s.charCodeAt(ctx.p++)) === 93) {
      return res;
    }
    if (c !== 44)
      TomlError.x("expected comma or end of structure", ctx, ctx.p - 1);
  }
  TomlError.x("unfinished array", ctx, startPtr);
}

// node_modules/smol-toml/dist/parse.js
function peekTable(ctx, key, table, meta, type) {
  let t = table;
  let m = meta;
  let k;
  let hasOwn = false;
  let state;
  for (let i = 0; i < key.length; i++) {
    if (i) {
      t = hasOwn ? t[k] : t[k] = /* @__PURE__ */ Object.create(null);
      m = (state = m[k]).c;
      if (type === 0 && (state.t === 1 || state.t === 2)) {
        return null;
      }
      if (state.t === 2) {
        let l = t.length - 1;
        t = t[l];
        m = m[l].c;
      }
    }
    k = key[i];
    if ((hasOwn = Object.hasOwn(t, k)) && m[k]?.t === 0 && m[k]?.d) {
      return null;
    }
    if (!hasOwn) {
      let unsafe = k === "__proto__";
      if (ctx.uk && (unsafe || k === "constructor"))
        return false;
      if (unsafe) {
        Object.defineProperty(t, k, { enumerable: true, configurable: true, writable: true });
        Object.defineProperty(m, k, { enumerable: true, configurable: true, writable: true });
      }
      m[k] = {
        t: i < key.length - 1 && type === 2 ? 3 : type,
        d: false,
        i: 0,
        c: /* @__PURE__ */ Object.create(null)
      };
    }
  }
  state = m[k];
  if (state.t !== type && !(type === 1 && state.t === 3)) {
    return null;
  }
  if (type === 2) {
    if (!state.d) {
      state.d = true;
      t[k] = [];
    }
    t[k].push(t = /* @__PURE__ */ Object.create(null));
    state.c[state.i++] = state = { t: 1, d: false, i: 0, c: /* @__PURE__ */ Object.create(null) };
  }
  if (state.d) {
    return null;
  }
  state.d = true;
  if (type === 1) {
    t = hasOwn ? t[k] : t[k] = /* @__PURE__ */ Object.create(null);
  } else if (type === 0 && hasOwn) {
    return null;
  }
  return [k, t, state.c];
}
function validateTablePeek(ctx, peek, ptr) {
  if (peek === null || ctx.uk === 2)
    TomlError.x(peek === null ? "trying to redefine an already defined table or value" : "document contains an unsafe property", ctx, ptr);
}
function parse(toml, options = {}) {
  let ctx = {
    s: toml,
    p: 0,
    d: options.maxDepth ?? 1e3,
    bi: options.integersAsBigInt ?? false,
    ld: options.useLegacyDate ?? true,
    uk: options.unsafeKeyBehaviour === "throw" ? 2 : options.unsafeKeyBehaviour === "drop" ? 1 : 0
  };
  let res = /* @__PURE__ */ Object.create(null);
  let meta = /* @__PURE__ */ Object.create(null);
  let tmp;
  let skipping = false;
  let tbl = res;
  let m = meta;
  if (toml.charCodeAt(0) === 65279)
    ctx.p++;
  skipVoid(ctx);
  while (ctx.p < toml.length) {
    if (toml.charCodeAt(ctx.p) === 91) {
      let isTableArray = toml.charCodeAt(++ctx.p) === 91;
      tmp = ctx.p += +isTableArray;
      skipping = false;
      let k = parseKey(
        ctx,
        93
        /* ] */
      );
      if (isTableArray) {
        if (toml.charCodeAt(ctx.p) !== 93) {
          TomlError.x("expected end of table array declaration", ctx);
        }
        ctx.p++;
      }
      let p = peekTable(
        ctx,
        k,
        res,
        meta,
        isTableArray ? 2 : 1
        /* Type.EXPLICIT */
      );
      if (!p) {
        validateTablePeek(ctx, p, tmp);
        skipping = true;
      } else {
        m = p[2];
        tbl = p[1];
      }
    } else {
      tmp = ctx.p;
      let k = parseKey(ctx);
      let p = peekTable(
        ctx,
        k,
        tbl,
        m,
        0
        /* Type.DOTTED */
      );
      if (!p && !skipping)
        validateTablePeek(ctx, p, tmp);
      skipVoid(ctx, true, true);
      let v = extractValue(ctx, void 0);
      if (p && !skipping)
        p[1][p[0]] = v;
    }
    skipVoid(ctx, true);
    if (ctx.p < toml.length && (tmp = toml.charCodeAt(ctx.p)) !== 10 && (tmp !== 13 || toml.charCodeAt(ctx.p + 1) !== 10)) {
      TomlError.x("each key-value declaration must be followed by an end-of-line", ctx);
    }
    skipVoid(ctx);
  }
  return res;
}

// node_modules/smol-toml/dist/stringify.js
var HAS_WELLFORMED = !!"".isWellFormed;

// src/define/python-params.ts
function parsePythonParams(text) {
  const params = {};
  let inClass;
  let classIndent = -1;
  for (const line of text.split("\n")) {
    if (/^\s*(#|$)/.test(line)) continue;
    const cls = /^class\s+([A-Za-z_]\w*)\s*(\([^)]*\))?\s*:\s*$/.exec(line);
    if (cls) {
      inClass = {};
      classIndent = -1;
      params[cls[1]] = inClass;
      continue;
    }
    const indent = line.length - line.trimStart().length;
    const indented = indent > 0;
    if (!indented) inClass = void 0;
    else if (inClass && classIndent < 0) classIndent = indent;
    const assignment = /^\s*([A-Za-z_]\w*)\s*(?::\s*[^=]+)?=\s*(.+?)\s*$/.exec(line);
    if (!assignment || indented && (!inClass || indent !== classIndent)) continue;
    const value = literal(assignment[2]);
    if (value === void 0) continue;
    (indented ? inClass : params)[assignment[1]] = value;
  }
  return params;
}
function literal(source) {
  const text = source.replace(/\s+#.*$/, "");
  if (!/^(['"[{\d+-]|True$|False$|None$)/.test(text)) return void 0;
  const mapped = text.replace(
    /("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|\b(True|False|None)\b/g,
    (_match, str, word) => str ?? (word === "True" ? "true" : word === "False" ? "false" : "null")
  );
  try {
    const value = yaml.load(mapped, { schema: yaml.CORE_SCHEMA });
    return typeof value === "string" && !/^['"]/.test(text) ? void 0 : value;
  } catch {
    return void 0;
  }
}

// src/define/yaml-pipeline.ts
import { basename, dirname as dirname2, join, posix as posix2 } from "node:path";

// src/define/collect.ts
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, extname, relative } from "node:path";
async function writeCollection(instances, files, root) {
  for (const file of files) {
    await mkdir(dirname(file), { recursive: true });
    const ext = extname(file).toLowerCase();
    if (ext === ".csv" || ext === ".tsv") await writeFile(file, toTable(instances, ext === ".csv" ? "," : "	"));
    else await writeFile(file, JSON.stringify(instances.map((i) => ({ ...i, outs: relativeOuts(i.outs, root) })), null, 2) + "\n");
  }
}
function relativeOuts(outs, root) {
  return Object.fromEntries(Object.entries(outs).map(([k, v]) => [k, relative(root, v)]));
}
function toTable(instances, separator = ",") {
  const rows = instances.map((i) => ({ params: new Map(flattenParams(i.params)), metrics: new Map(flattenParams(i.metrics ?? {})) }));
  const paramKeys = [...new Set(rows.flatMap((r) => [...r.params.keys()]))];
  const metricKeys = [...new Set(rows.flatMap((r) => [...r.metrics.keys()]))];
  const metricHeader = metricKeys.map((k) => paramKeys.includes(k) ? `metrics.${k}` : k);
  const cell = (value) => {
    const text = value === void 0 ? "" : typeof value === "string" ? value : JSON.stringify(value);
    return /[",\t\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [["name", "status", ...paramKeys, ...metricHeader].map(cell).join(separator)];
  instances.forEach((instance, i) => {
    const row = rows[i];
    lines.push([instance.name, instance.status, ...paramKeys.map((k) => row.params.get(k)), ...metricKeys.map((k) => row.metrics.get(k))].map(cell).join(separator));
  });
  return lines.join("\n") + "\n";
}

// src/define/plot-definitions.ts
import { posix } from "node:path";
function parsePlotDefinitions(raw, wdir = "") {
  if (!Array.isArray(raw)) return [];
  const path = (p) => posix.normalize(wdir ? posix.join(wdir, p) : p);
  const list = (v) => v === void 0 ? [] : typeof v === "string" ? [v] : [...v];
  return raw.flatMap((entry) => {
    if (typeof entry === "string") return [{ id: entry, template: "simple", files: [{ path: path(entry), y: [] }] }];
    if (entry === null || typeof entry !== "object") return [];
    return Object.entries(entry).map(([id, props]) => {
      const p = props ?? {};
      const byFile = (fields) => fields !== void 0 && typeof fields === "object" && !Array.isArray(fields) ? fields : void 0;
      const yFiles = byFile(p.y);
      const xFiles = byFile(p.x);
      const xOf = (file) => xFiles ? list(xFiles[file])[0] : typeof p.x === "string" ? p.x : void 0;
      const files = yFiles ? Object.entries(yFiles).map(([file, fields]) => ({ path: path(file), x: xOf(file), y: list(fields) })) : [{ path: path(id), x: xOf(id), y: list(p.y) }];
      return { id, template: p.template ?? "simple", title: p.title, xLabel: p.x_label, yLabel: p.y_label, files };
    });
  });
}

// src/define/yaml-pipeline.ts
var nonEmpty = () => string().check(_minLength(1));
var pathEntry = union([
  nonEmpty(),
  record(nonEmpty(), union([_null(), strictObject({
    cache: optional(boolean()),
    persist: optional(boolean()),
    desc: optional(string()),
    // DVC's remote options and plot properties: accepted, not used by pipewright yet.
    push: optional(boolean()),
    remote: optional(string()),
    type: optional(string()),
    labels: optional(array(string())),
    meta: optional(unknown()),
    x: optional(unknown()),
    y: optional(unknown()),
    template: optional(string()),
    title: optional(string()),
    x_label: optional(string()),
    y_label: optional(string()),
    header: optional(boolean())
  })])).check(refine((r) => Object.keys(r).length === 1, "an entry with options is a mapping of one path to its options"))
]);
var paramsEntry = union([nonEmpty(), record(nonEmpty(), union([_null(), array(nonEmpty())]))]);
var stageShape = {
  cmd: union([nonEmpty(), array(nonEmpty()).check(_minLength(1))], { error: "cmd must be a command or a list of commands" }),
  desc: optional(string()),
  wdir: optional(string()),
  deps: optional(array(nonEmpty())),
  params: optional(array(paramsEntry)),
  outs: optional(array(pathEntry)),
  metrics: optional(array(pathEntry)),
  plots: optional(array(pathEntry)),
  executor: optional(_enum(EXECUTOR_KINDS)),
  frozen: optional(boolean()),
  always_changed: optional(boolean()),
  meta: optional(unknown())
};
var stageSchema = strictObject(stageShape);
var pipewrightStageSchema = strictObject({
  ...stageShape,
  cmd: optional(stageShape.cmd),
  /** The built-in collector: gathers every instance of the named stage into its outs (.csv, .json). */
  collect: optional(nonEmpty()),
  sweep: optional(strictObject({
    samples: optional(int().check(_positive())),
    seed: optional(int()),
    space: record(nonEmpty(), unknown())
  }))
}).check(refine((s) => s.cmd === void 0 !== (s.collect === void 0), "a stage needs exactly one of `cmd` and `collect`"));
var overridesSchema = record(nonEmpty(), unknown());
var fileSchema = strictObject({
  name: optional(string()),
  stages: _default(record(string().check(_regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'stage names use letters, digits, "_", "-" and "."')), pipewrightStageSchema), {}),
  versions: optional(record(nonEmpty(), overridesSchema)),
  dev: optional(overridesSchema),
  /** Charts across stages' files, in dvc.yaml's form. */
  plots: optional(array(unknown())),
  /** Metrics files written inside stages' outs, as dvc.yaml lists them. */
  metrics: optional(array(nonEmpty()))
});
var DEFAULT_PARAMS_FILE = "params.yaml";
function loadYamlPipeline(file) {
  const source = readYamlSource(file);
  const parsed = fileSchema.safeParse(source.data ?? {});
  if (!parsed.success) {
    throw schemaError(source, parsed.error.issues, (path) => path[0] === "stages" && path.length >= 2 ? `stage "${String(path[1])}"${path.length > 2 ? ` ${path.slice(2).join(".")}` : ""}` : path.join(".") || "file");
  }
  const root = dirname2(file);
  const extra = {
    versions: parsed.data.versions ?? {},
    dev: parsed.data.dev ?? {},
    plots: parsePlotDefinitions(parsed.data.plots),
    metricsFiles: (parsed.data.metrics ?? []).map((m) => posix2.normalize(m))
  };
  return buildDeclaration(file, root, source, parsed.data.stages, parsed.data.name, {}, extra);
}
function buildDeclaration(file, root, source, stages, name, globalOverrides, extra) {
  const paramFiles = new ParamFiles(root, globalOverrides);
  const declaration = {
    name: name ?? basename(root),
    format: "yaml",
    file,
    root,
    stages: Object.entries(stages).map(([stageName, yaml2]) => yamlStage(stageName, yaml2, source, paramFiles)),
    withGlobalOverrides: (overrides) => buildDeclaration(file, root, source, stages, name, { ...globalOverrides, ...overrides }, extra),
    sourceFiles: () => [file, ...paramFiles.filesRead()],
    ...extra
  };
  return declaration;
}
function yamlStage(name, yaml2, source, paramFiles, sourcePath = ["stages", name], paramsInCommand = true, writtenCommand) {
  const at = (...path) => source.positionOf([...sourcePath, ...path]);
  const wdir = posix2.normalize(yaml2.wdir ?? ".").replace(/^\.$/, "");
  const commands = yaml2.cmd === void 0 ? [] : typeof yaml2.cmd === "string" ? [yaml2.cmd] : yaml2.cmd;
  const declared = [];
  (yaml2.params ?? []).forEach((entry, i) => {
    if (typeof entry === "string") declared.push({ file: joinWdir(wdir, DEFAULT_PARAMS_FILE), key: entry, where: at("params", i) });
    else for (const [paramsFile, keys] of Object.entries(entry)) {
      const file = joinWdir(wdir, paramsFile);
      if (!keys || keys.length === 0) declared.push({ file, key: "*", where: at("params", i, paramsFile) });
      else keys.forEach((key, j) => declared.push({ file, key, where: at("params", i, paramsFile, j) }));
    }
  });
  for (const [i, command2] of paramsInCommand ? commands.entries() : []) {
    for (const key of referencedParams(command2)) {
      if (!declared.some((d) => d.key === key)) declared.push({ file: joinWdir(wdir, DEFAULT_PARAMS_FILE), key, where: at("cmd", ...typeof yaml2.cmd === "string" ? [] : [i]) });
    }
  }
  const paramKeys = declared.map((d) => d.key);
  const paths = (field) => (yaml2[field] ?? []).map((entry, i) => {
    const path = typeof entry === "string" ? entry : Object.keys(entry)[0];
    const options = typeof entry === "string" ? null : entry[path];
    const plot = field === "plots" && options ? plotOptions(options) : void 0;
    return { name: path, path: joinWdir(wdir, path), where: at(field, i), cache: options?.cache !== false, persist: options?.persist === true, ...plot ? { plot } : {} };
  });
  const collected = yaml2.collect;
  return {
    name,
    kind: collected === void 0 ? "cmd" : "ts",
    desc: yaml2.desc,
    where: source.positionOf(sourcePath, "key"),
    wdir,
    deps: (yaml2.deps ?? []).map((path, i) => ({ path: joinWdir(wdir, path), where: at("deps", i) })),
    inputs: collected === void 0 ? {} : { runs: { stage: collected } },
    ...collected === void 0 ? {} : {
      builtin: "collect@1",
      executor: "inline",
      run: (ctx) => writeCollection(ctx.inputs.runs, Object.values(ctx.outs), ctx.root)
    },
    sweep: yaml2.sweep && yamlSweep(yaml2.sweep, (...path) => at("sweep", ...path)),
    outs: paths("outs"),
    metrics: paths("metrics"),
    plots: paths("plots"),
    ...yaml2.executor ? { executor: yaml2.executor } : {},
    alwaysChanged: yaml2.always_changed === true,
    frozen: yaml2.frozen === true,
    codeFiles: [],
    paramKeys,
    resolveParams(overrides) {
      const params = {};
      for (const { file, key, where } of declared) {
        const data = paramFiles.read(file, where);
        if (key.includes("*")) {
          const pattern = new RegExp(`^${key.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
          for (const [leaf, value] of flattenParams(data ?? {})) {
            if (pattern.test(leaf)) setPath(params, leaf, value);
          }
          continue;
        }
        const hit = lookupPath(data, key);
        if (!hit.found) {
          throw new PipelineError(
            "params-file",
            `stage "${name}": param "${key}" is not in ${file}`,
            where,
            `add "${key}" to ${file}, or remove it from the stage's params`
          );
        }
        setPath(params, key, hit.value);
      }
      for (const [key, value] of Object.entries(overrides)) {
        if (!paramKeys.includes(key)) {
          const guess = closestName(key, paramKeys);
          throw new PipelineError(
            "param-override",
            `stage "${name}" has no param "${key}"`,
            void 0,
            guess ? `did you mean "${name}.${guess}"?` : paramKeys.length ? `its params are: ${paramKeys.join(", ")}` : "this stage declares no params"
          );
        }
        setPath(params, key, value);
      }
      return params;
    },
    ...collected === void 0 ? { commandTemplate: writtenCommand ?? commands.join(" && "), command } : {}
  };
  function command(params) {
    if (!paramsInCommand) return commands.join(" && ");
    return commands.map((command2, i) => interpolate(command2, params, { stage: name, mode: "shell", where: at("cmd", ...typeof yaml2.cmd === "string" ? [] : [i]) })).join(" && ");
  }
}
function plotOptions(options) {
  const field = (v) => typeof v === "string" ? v : void 0;
  const y = Array.isArray(options.y) ? options.y.filter((v) => typeof v === "string") : field(options.y) ? [options.y] : void 0;
  const plot = { x: field(options.x), y, title: field(options.title), xLabel: field(options.x_label), yLabel: field(options.y_label) };
  return Object.values(plot).some((v) => v !== void 0) ? plot : void 0;
}
var RANGE_KINDS = ["uniform", "loguniform", "int"];
function yamlSweep(yaml2, at) {
  const space = {};
  const forms = `{grid: [..]}, {choice: [..]}, {uniform: [lo, hi]}, {loguniform: [lo, hi]}, {int: [lo, hi]} or {value: x}`;
  for (const [key, entry] of Object.entries(yaml2.space)) {
    const where = at("space", key);
    if (Array.isArray(entry)) {
      throw new PipelineError("yaml-schema", `sweep space "${key}": a bare list is ambiguous`, where, `write {grid: [...]} for every option, or {choice: [...]} to draw one per sample`);
    }
    if (entry === null || typeof entry !== "object") {
      space[key] = { kind: "value", value: entry };
      continue;
    }
    const [kind, ...more] = Object.keys(entry);
    const value = entry[kind];
    if (more.length || !kind) throw new PipelineError("yaml-schema", `sweep space "${key}": expected one of ${forms}`, where);
    if (kind === "value") space[key] = { kind: "value", value };
    else if (kind === "grid" || kind === "choice") {
      if (!Array.isArray(value)) throw new PipelineError("yaml-schema", `sweep space "${key}": ${kind} takes a list of options`, where);
      space[key] = { kind, values: value };
    } else if (RANGE_KINDS.includes(kind)) {
      if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === "number")) {
        throw new PipelineError("yaml-schema", `sweep space "${key}": ${kind} takes [low, high]`, where);
      }
      space[key] = { kind, lo: value[0], hi: value[1] };
    } else {
      throw new PipelineError("yaml-schema", `sweep space "${key}": unknown form "${kind}"`, where, `expected one of ${forms}`);
    }
  }
  return { space, samples: yaml2.samples, seed: yaml2.seed ?? 0, where: at() };
}
function joinWdir(wdir, path) {
  return wdir ? posix2.join(wdir, path) : path;
}
var ParamFiles = class {
  constructor(root, overrides) {
    this.root = root;
    this.overrides = overrides;
  }
  root;
  overrides;
  cache = /* @__PURE__ */ new Map();
  filesRead() {
    return [...this.cache.keys()].map((file) => join(this.root, file));
  }
  read(file, where) {
    if (this.cache.has(file)) return this.cache.get(file);
    const abs = join(this.root, file);
    if (!existsSync(abs)) {
      throw new PipelineError(
        "params-file",
        `params file ${file} not found (needed by a stage's params)`,
        where,
        `create ${file} (params files are read from the stage's wdir, as in DVC) with the params the stages list`
      );
    }
    const data = structuredClone(readParamsData(abs, where));
    if (file === DEFAULT_PARAMS_FILE) for (const [key, value] of Object.entries(this.overrides)) setPath(data, key, value);
    this.cache.set(file, data);
    return data;
  }
};
function readParamsData(abs, where) {
  if (abs.endsWith(".toml")) {
    try {
      return parse(readFileSync(abs, "utf8"));
    } catch (err) {
      throw new PipelineError("params-file", `${displayPath(abs)} is not valid TOML: ${err.message.split("\n")[0]}`, where);
    }
  }
  if (abs.endsWith(".py")) return parsePythonParams(readFileSync(abs, "utf8"));
  return readYamlSource(abs, "params-file").data ?? {};
}

export {
  parsePlotDefinitions,
  stageSchema,
  DEFAULT_PARAMS_FILE,
  loadYamlPipeline,
  yamlStage,
  ParamFiles,
  readParamsData
};
/*! Bundled license information:

smol-toml/dist/error.js:
smol-toml/dist/primitive.js:
smol-toml/dist/date.js:
smol-toml/dist/extract.js:
smol-toml/dist/util.js:
smol-toml/dist/struct.js:
smol-toml/dist/parse.js:
smol-toml/dist/stringify.js:
smol-toml/dist/index.js:
  (*!
   * Copyright (c) Squirrel Chat et al., All rights reserved.
   * SPDX-License-Identifier: BSD-3-Clause
   *
   * Redistribution and use in source and binary forms, with or without
   * modification, are permitted provided that the following conditions are met:
   *
   * 1. Redistributions of source code must retain the above copyright notice, this
   *    list of conditions and the following disclaimer.
   * 2. Redistributions in binary form must reproduce the above copyright notice,
   *    this list of conditions and the following disclaimer in the
   *    documentation and/or other materials provided with the distribution.
   * 3. Neither the name of the copyright holder nor the names of its contributors
   *    may be used to endorse or promote products derived from this software without
   *    specific prior written permission.
   *
   * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
   * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
   * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
   * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
   * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
   * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
   * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
   * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
   * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
   * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
   *)
*/
//# sourceMappingURL=chunk-SLV4ANF7.js.map
