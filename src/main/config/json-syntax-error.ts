// JSON.parse's messages quote the text around the error, which in a config file can be a secret someone pasted in.
// This scanner finds the same error and describes it by line and column only.

export interface JsonSyntaxError {
  line: number;
  column: number;
  problem: string;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** The first syntax error in text, or null when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  let i = 0;
  const stop = (problem: string): never => {
    throw new Stop(i, problem);
  };
  const skipSpace = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const expect = (ch: string, problem: string) => {
    skipSpace();
    if (text[i] !== ch) stop(i >= text.length ? `the file ends early: ${problem}` : problem);
    i++;
  };
  const string = () => {
    i++;
    for (;;) {
      const ch = text[i];
      if (ch === undefined) stop("a string is not closed");
      if (ch === '"') return void i++;
      if (ch === "\\") {
        ESCAPE.lastIndex = i;
        if (!ESCAPE.test(text)) stop("invalid escape sequence in a string");
        i = ESCAPE.lastIndex;
      } else if (ch! < " ") stop("a raw control character (such as a line break) inside a string");
      else i++;
    }
  };
  const value = (): void => {
    skipSpace();
    const ch = text[i];
    if (ch === undefined) return stop("the file ends where a value was expected");
    if (ch === "{") return members("}", true);
    if (ch === "[") return members("]", false);
    if (ch === '"') return string();
    if (ch === "/") return stop("JSON does not allow comments");
    for (const word of ["true", "false", "null"]) if (text.startsWith(word, i)) return void (i += word.length);
    NUMBER.lastIndex = i;
    if ((ch === "-" || (ch >= "0" && ch <= "9")) && NUMBER.test(text)) return void (i = NUMBER.lastIndex);
    stop(ch === "'" ? "strings must use double quotes" : "unexpected character where a value was expected");
  };
  const members = (close: string, isObject: boolean) => {
    i++;
    skipSpace();
    if (text[i] === close) return void i++;
    for (;;) {
      if (isObject) {
        skipSpace();
        if (text[i] === "/") stop("JSON does not allow comments");
        if (text[i] !== '"')
          stop(
            text[i] === close ? "a trailing comma before the closing brace" : "expected a double-quoted property name",
          );
        string();
        expect(":", "expected ':' after a property name");
      }
      value();
      skipSpace();
      if (text[i] === ",") {
        i++;
        skipSpace();
        if (!isObject && text[i] === close) stop("a trailing comma before the closing bracket");
        continue;
      }
      expect(close, `expected ',' or '${close}'`);
      return;
    }
  };

  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    value();
    skipSpace();
    if (i < text.length) stop("unexpected text after the end of the JSON document");
    return null;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    return { ...lineAndColumn(text, e.offset), problem: e.problem };
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastBreak = before.lastIndexOf("\n");
  return { line: before.split("\n").length, column: offset - lastBreak };
}
