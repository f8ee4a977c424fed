import { wqlSyntaxError } from "./wql-lexer.js";

const syntaxChars = /[\\^$.*+?()[\]{}|/]/;

function escapeOutside(c: string): string {
  return syntaxChars.test(c) ? `\\${c}` : c;
}

function escapeInside(c: string): string {
  return syntaxChars.test(c) || c === "-" ? `\\${c}` : c;
}

/**
 * Compile a WQL `LIKE` pattern to an anchored, case-insensitive RegExp: `%` any run, `_` one
 * character, `[abc]`, `[a-z]`, `[^a]` sets. A malformed set throws `WqlSyntax` at `offset`.
 *
 * @example
 * ```ts
 * compileLikePattern("%Lat[i]tude_5%").test("Dell Latitude 5490"); // true
 * ```
 */
export function compileLikePattern(pattern: string, offset = 0): RegExp {
  const chars = Array.from(pattern);
  let source = "";
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === "%") source += "[^]*";
    else if (c === "_") source += "[^]";
    else if (c === "[") {
      let j = i + 1;
      let set = "";
      if (chars[j] === "^") {
        set += "^";
        j++;
      }
      const first = j;
      while (j < chars.length && (chars[j] !== "]" || j === first)) {
        const d = chars[j] as string;
        const to = chars[j + 2];
        if (chars[j + 1] === "-" && to !== undefined && to !== "]") {
          if ((d.codePointAt(0) ?? 0) > (to.codePointAt(0) ?? 0)) throw wqlSyntaxError(`Invalid range '${d}-${to}' in LIKE pattern`, offset);
          set += `${escapeInside(d)}-${escapeInside(to)}`;
          j += 3;
        } else {
          set += escapeInside(d);
          j++;
        }
      }
      if (j >= chars.length) throw wqlSyntaxError("Unclosed '[' in LIKE pattern", offset);
      source += `[${set}]`;
      i = j;
    } else source += escapeOutside(c);
  }
  return new RegExp(`^(?:${source})$`, "iu");
}
