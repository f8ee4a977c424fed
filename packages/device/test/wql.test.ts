import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isTaskSeqError } from "@taskseq/model";
import { compileLikePattern, compileWql, parseWql, type WmiRow } from "@taskseq/device";

const corpus = new URL("../../../../shared/corpus/", import.meta.url);

function corpusQueries(): string[] {
  const out: string[] = [];
  for (const file of readdirSync(fileURLToPath(corpus))) {
    const text = readFileSync(new URL(file, corpus), "utf8");
    for (const m of text.matchAll(/<variable name="Query">([^<]*)<\/variable>/g)) {
      out.push((m[1] as string).replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"));
    }
  }
  return out;
}

const machines: Record<string, WmiRow> = {
  dell: { Manufacturer: "Dell Inc.", Model: "Latitude 5440", TotalPhysicalMemory: 17_179_869_184, PCSystemType: 2 },
  hp: { Manufacturer: "HP", Model: "HP EliteBook 840 G10 Notebook PC", TotalPhysicalMemory: 34_359_738_368, PCSystemType: 2 },
  oldHp: { Manufacturer: "Hewlett-Packard", Model: "HP Compaq Elite 8300 SFF", TotalPhysicalMemory: 8_589_934_592, PCSystemType: 1 },
  vm: { Manufacturer: "Microsoft Corporation", Model: "Virtual Machine", TotalPhysicalMemory: 4_294_967_296, PCSystemType: 1 },
  lenovo: { Manufacturer: "LENOVO", Model: "S45", TotalPhysicalMemory: 8_589_934_592, PCSystemType: 1 },
};

/** Which machines each corpus query selects (from its intent). */
const expected: Record<string, string[]> = {
  'SELECT * FROM Win32_ComputerSystem WHERE NOT Model LIKE "%Virtual Machine%"': ["dell", "hp", "oldHp", "lenovo"],
  'Select * From Win32_ComputerSystem WHERE Manufacturer LIKE "%Microsoft%"': ["vm"],
  'Select * From Win32_ComputerSystem WHERE Manufacturer LIKE "%Hewlett-Packard%"': ["oldHp"],
  'Select * From Win32_ComputerSystem WHERE Manufacturer LIKE "%HP%"': ["hp"],
  'Select * From Win32_ComputerSystem WHERE Manufacturer LIKE "%DELL%"': ["dell"],
  'SELECT * FROM Win32_ComputerSystem WHERE Model LIKE "%S45%"': ["lenovo"],
};

describe("WQL on corpus conditions", () => {
  const queries = corpusQueries();

  it("finds the WMI conditions of the corpus", () => {
    expect(queries.length).toBeGreaterThanOrEqual(6);
  });

  it.each(queries)("evaluates %s", (text) => {
    const q = compileWql(text);
    expect(q.query.className.toLowerCase()).toBe("win32_computersystem");
    const selected = Object.entries(machines)
      .filter(([, row]) => q.matches(row))
      .map(([name]) => name);
    expect(selected).toEqual(expected[text]);
  });
});

describe("WQL semantics", () => {
  const disks: WmiRow[] = [
    { DeviceID: "C:", FileSystem: "NTFS", FreeSpace: 50_000_000_000, Size: 250_000_000_000, DriveType: 3, VolumeName: "OS" },
    { DeviceID: "D:", FileSystem: "FAT32", FreeSpace: 100, Size: 500_000_000, DriveType: 2, VolumeName: null },
    { DeviceID: "X:", FileSystem: "NTFS", FreeSpace: 0, Size: 1_000_000, DriveType: 3 },
  ];
  const ids = (wql: string): unknown[] => compileWql(wql).run(disks).map((r) => r.DeviceID);

  it("selects all or named properties, case-insensitively", () => {
    expect(compileWql("select deviceid, FREESPACE from win32_logicaldisk where filesystem='ntfs'").run(disks)).toEqual([
      { DeviceID: "C:", FreeSpace: 50_000_000_000 },
      { DeviceID: "X:", FreeSpace: 0 },
    ]);
  });

  it("supports every comparison operator", () => {
    expect(ids("SELECT * FROM D WHERE DriveType = 3")).toEqual(["C:", "X:"]);
    expect(ids("SELECT * FROM D WHERE DriveType <> 3")).toEqual(["D:"]);
    expect(ids("SELECT * FROM D WHERE DriveType != 3")).toEqual(["D:"]);
    expect(ids("SELECT * FROM D WHERE FreeSpace < 100")).toEqual(["X:"]);
    expect(ids("SELECT * FROM D WHERE FreeSpace <= 100")).toEqual(["D:", "X:"]);
    expect(ids("SELECT * FROM D WHERE FreeSpace > 100")).toEqual(["C:"]);
    expect(ids("SELECT * FROM D WHERE FreeSpace >= 100")).toEqual(["C:", "D:"]);
    expect(ids("SELECT * FROM D WHERE 100 < FreeSpace")).toEqual(["C:"]);
  });

  it("compares a number property with a quoted number numerically", () => {
    expect(ids("SELECT * FROM D WHERE FreeSpace > '99'")).toEqual(["C:", "D:"]);
  });

  it("compares strings case-insensitively, including ordering", () => {
    expect(ids("SELECT * FROM D WHERE DeviceID > 'c:'")).toEqual(["D:", "X:"]);
    expect(ids('SELECT * FROM D WHERE FileSystem = "fat32"')).toEqual(["D:"]);
  });

  it("handles NULL and missing properties", () => {
    expect(ids("SELECT * FROM D WHERE VolumeName IS NULL")).toEqual(["D:", "X:"]);
    expect(ids("SELECT * FROM D WHERE VolumeName IS NOT NULL")).toEqual(["C:"]);
    expect(ids("SELECT * FROM D WHERE VolumeName = NULL")).toEqual(["D:", "X:"]);
    expect(ids("SELECT * FROM D WHERE VolumeName <> 'x'")).toEqual(["C:"]);
  });

  it("combines AND, OR, NOT and parentheses with the usual precedence", () => {
    expect(ids("SELECT * FROM D WHERE FileSystem = 'NTFS' OR DriveType = 2 AND FreeSpace > 1000")).toEqual(["C:", "X:"]);
    expect(ids("SELECT * FROM D WHERE (FileSystem = 'NTFS' OR DriveType = 2) AND FreeSpace > 50")).toEqual(["C:", "D:"]);
    expect(ids("SELECT * FROM D WHERE NOT (FileSystem = 'NTFS' AND FreeSpace = 0)")).toEqual(["C:", "D:"]);
    expect(ids("SELECT * FROM D WHERE NOT NOT DeviceID = 'C:'")).toEqual(["C:"]);
    expect(ids("SELECT * FROM D WHERE DeviceID NOT LIKE '%:' ")).toEqual([]);
  });

  it("treats booleans and arrays", () => {
    const rows: WmiRow[] = [
      { Name: "a", IPEnabled: true, ChassisTypes: [10], IPAddress: ["10.0.0.5", "fe80::1"] },
      { Name: "b", IPEnabled: false, ChassisTypes: [3, 35] },
    ];
    const names = (wql: string): unknown[] => compileWql(wql).run(rows).map((r) => r.Name);
    expect(names("SELECT * FROM X WHERE IPEnabled = TRUE")).toEqual(["a"]);
    expect(names("SELECT * FROM X WHERE IPEnabled = 'false'")).toEqual(["b"]);
    expect(names("SELECT * FROM X WHERE IPEnabled = 1")).toEqual(["a"]);
    expect(names("SELECT * FROM X WHERE ChassisTypes = 35")).toEqual(["b"]);
    expect(names("SELECT * FROM X WHERE IPAddress LIKE '10.%'")).toEqual(["a"]);
  });

  it("unescapes backslashes in strings", () => {
    const rows: WmiRow[] = [{ Name: "C:\\Windows" }];
    expect(compileWql("SELECT * FROM Win32_Directory WHERE Name = 'C:\\\\Windows'").run(rows)).toHaveLength(1);
    expect(compileWql("SELECT * FROM X WHERE Name = 'it\\'s'").run([{ Name: "it's" }])).toHaveLength(1);
  });

  it("caches compiled queries by text", () => {
    const text = "SELECT * FROM Win32_Battery WHERE BatteryStatus = 2";
    expect(compileWql(text)).toBe(compileWql(text));
  });
});

describe("LIKE patterns", () => {
  it.each([
    ["%Latitude%", "Dell Latitude 5490", true],
    ["latitude%", "Latitude 7420", true],
    ["Lat_tude", "Latitude", true],
    ["Lat_tude", "Lattitude", false],
    ["[abc]x", "bx", true],
    ["[abc]x", "dx", false],
    ["[a-f]1", "E1", true],
    ["[^a]1", "a1", false],
    ["[^a]1", "b1", true],
    ["100[%]", "100%", true],
    ["100[%]", "1000", false],
    ["a.b", "axb", false],
    ["(x)+", "(x)+", true],
    ["", "", true],
  ])("%s matches %s: %s", (pattern, value, result) => {
    expect(compileLikePattern(pattern).test(value)).toBe(result);
  });

  it("rejects malformed sets with WqlSyntax", () => {
    expect(() => compileWql("SELECT * FROM X WHERE A LIKE 'ab[c'")).toThrow(expect.objectContaining({ code: "WqlSyntax" }));
    expect(() => compileLikePattern("[z-a]")).toThrow(expect.objectContaining({ code: "WqlSyntax" }));
  });
});

describe("WQL errors", () => {
  it.each([
    ["SELECT FROM X", 7],
    ["SELECT * X", 9],
    ["SELECT * FROM", 13],
    ["SELECT * FROM X WHERE", 21],
    ["SELECT * FROM X WHERE A =", 25],
    ["SELECT * FROM X WHERE A = 'b", 26],
    ["SELECT * FROM X WHERE (A = 1", 28],
    ["SELECT * FROM X WHERE A = 1)", 27],
    ["SELECT * FROM X WHERE A # 1", 24],
    ["SELECT * FROM X WHERE A LIKE 5", 29],
    ["SELECT * FROM X WHERE A IS 5", 27],
    ["SELECT a,, b FROM X", 9],
    ["UPDATE X SET A = 1", 0],
    ["SELECT * FROM X WHERE A = 1 extra", 28],
  ])("%s is WqlSyntax at offset %i", (text, offset) => {
    try {
      parseWql(text);
      expect.unreachable();
    } catch (e) {
      expect(isTaskSeqError(e, "WqlSyntax")).toBe(true);
      expect((e as { position?: { offset?: number } }).position?.offset).toBe(offset);
    }
  });

  it.each([
    "ASSOCIATORS OF {Win32_NetworkAdapter.DeviceID=1} WHERE ResultClass = Win32_NetworkAdapterConfiguration",
    "REFERENCES OF {Win32_LogicalDisk.DeviceID='C:'}",
    "SELECT * FROM __InstanceCreationEvent WITHIN 5 WHERE TargetInstance ISA 'Win32_Process'",
    "SELECT * FROM Win32_Process GROUP BY Name",
    "SELECT * FROM Win32_ComputerSystem WHERE Model ISA 'x'",
  ])("%s is WqlUnsupported", (text) => {
    expect(() => parseWql(text)).toThrow(expect.objectContaining({ code: "WqlUnsupported" }));
  });

  it("a query that is not a string is InvalidArgument", () => {
    for (const bad of [undefined, null, 5, {}]) expect(() => parseWql(bad as unknown as string)).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
  });

  it("bounds query length and nesting", () => {
    expect(() => parseWql(`SELECT * FROM X WHERE A = '${"a".repeat(17_000)}'`)).toThrow(expect.objectContaining({ code: "WqlSyntax" }));
    expect(() => parseWql(`SELECT * FROM X WHERE ${"(".repeat(200)}A = 1${")".repeat(200)}`)).toThrow(expect.objectContaining({ code: "WqlSyntax" }));
    expect(() => parseWql(`SELECT * FROM X WHERE ${"NOT ".repeat(200)}A = 1`)).toThrow(expect.objectContaining({ code: "WqlSyntax" }));
  });

  it("never throws anything but a typed error on random input", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        try {
          compileWql(`SELECT * FROM X WHERE ${s}`);
        } catch (e) {
          expect(isTaskSeqError(e, "WqlSyntax") || isTaskSeqError(e, "WqlUnsupported")).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
