/**
 * File text encodings: what `encodeFileText` writes in each encoding Windows PowerShell 5.1 writes,
 * and how `decodeFileText` (every adapter's `readText`) reads it back.
 */
import { describe, expect, it } from "vitest";
import { createSimulatedDevice, decodeFileText, encodeFileText, FILE_TEXT_ENCODINGS, fileTextEncodingOf, type FileTextEncoding } from "@taskseq/device";

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");

describe("encodeFileText", () => {
  it("writes each encoding's bytes, with its BOM when the bytes start the file", () => {
    const expected: Record<FileTextEncoding, string> = {
      "utf-8": "41 c3 a9",
      "utf-8-bom": "ef bb bf 41 c3 a9",
      "utf-16le": "ff fe 41 00 e9 00",
      "utf-16be": "fe ff 00 41 00 e9",
      "utf-32le": "ff fe 00 00 41 00 00 00 e9 00 00 00",
      "utf-32be": "00 00 fe ff 00 00 00 41 00 00 00 e9",
      ascii: "41 3f",
      "windows-1252": "41 e9",
      ibm437: "41 82",
    };
    for (const encoding of FILE_TEXT_ENCODINGS) expect(hex(encodeFileText("Aé", encoding, true)), encoding).toBe(expected[encoding]);
    expect(hex(encodeFileText("A", "utf-16le", false))).toBe("41 00");
    expect(hex(encodeFileText("A", "utf-8-bom", false))).toBe("41");
  });

  it("writes a surrogate pair as one character, a lone surrogate as U+FFFD, and a character a code page lacks as ?", () => {
    expect(hex(encodeFileText("😀", "utf-16le", false))).toBe("3d d8 00 de");
    expect(hex(encodeFileText("😀", "utf-32be", false))).toBe("00 01 f6 00");
    expect(hex(encodeFileText("\ud800", "utf-16be", false))).toBe("ff fd");
    expect(hex(encodeFileText("€ő😀", "windows-1252", false))).toBe("80 3f 3f");
    expect(hex(encodeFileText("│é€", "ibm437", false))).toBe("b3 82 3f");
  });
});

describe("decodeFileText and fileTextEncodingOf", () => {
  it("read back every Unicode encoding after its BOM", () => {
    for (const encoding of ["utf-8", "utf-8-bom", "utf-16le", "utf-16be", "utf-32le", "utf-32be"] as const) {
      const data = encodeFileText("Zürich 😀\r\n", encoding, true);
      expect(decodeFileText(data), encoding).toBe("Zürich 😀\r\n");
      expect(fileTextEncodingOf(data), encoding).toBe(encoding === "utf-8" ? undefined : encoding);
    }
  });

  it("read content without a BOM as UTF-8, or as Windows-1252 when it is not valid UTF-8", () => {
    expect(decodeFileText(encodeFileText("café €", "windows-1252", true))).toBe("café €");
    expect(decodeFileText(new Uint8Array([0x81, 0x41]))).toBe("\u0081A");
    expect(decodeFileText(new TextEncoder().encode("café"))).toBe("café");
    expect(fileTextEncodingOf(new Uint8Array([0xff]))).toBeUndefined();
  });

  it("the simulated device stores the bytes and reads them back through readText and syncView", async () => {
    const device = createSimulatedDevice();
    await device.files.write("X:\\a.txt", encodeFileText("Größe", "utf-16be", true));
    expect(hex(await device.files.read("X:\\a.txt"))).toBe("fe ff 00 47 00 72 00 f6 00 df 00 65");
    expect(await device.files.readText("X:\\a.txt")).toBe("Größe");
    expect(device.files.syncView().readText("X:\\a.txt")).toBe("Größe");
  });
});
