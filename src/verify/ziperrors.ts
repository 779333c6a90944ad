/**
 * Errors raised while reading, checking, hashing and extracting module zips. Each `message` is the text
 * go prints for the same condition (archive/zip, x/mod/zip, x/mod/sumdb/dirhash, cmd/go modfetch), so a
 * caller can show it as is.
 *
 * @see https://github.com/golang/go/blob/go1.26.8/src/archive/zip/reader.go
 * @see https://github.com/golang/go/blob/go1.26.8/src/cmd/vendor/golang.org/x/mod/zip/zip.go
 */
import { GoError } from '../internal/errors.js';

/** Base class: every module-zip error has a stable `code` and go's text as `message`. */
export class ZipError extends GoError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = new.target.name;
  }
}

/** archive/zip ErrFormat: a broken archive structure or an entry inflating past its declared size. */
export class ZipFormatError extends ZipError {
  constructor() {
    super('EZIPFORMAT', 'zip: not a valid zip file');
  }
}

/** archive/zip ErrChecksum: the CRC-32 of an entry's content differs from the one recorded. */
export class ZipChecksumError extends ZipError {
  constructor() {
    super('EZIPCHECKSUM', 'zip: checksum error');
  }
}

/** archive/zip ErrAlgorithm: a compression method other than Store (0) or Deflate (8). */
export class ZipAlgorithmError extends ZipError {
  constructor() {
    super('EZIPALGORITHM', 'zip: unsupported compression algorithm');
  }
}

/** io.ErrUnexpectedEOF: an entry's data ended before its declared size (or its deflate stream did). */
export class ZipUnexpectedEofError extends ZipError {
  constructor() {
    super('EZIPEOF', 'unexpected EOF');
  }
}

/**
 * A corrupt deflate stream: compress/flate's CorruptInputError, with the offset go would report (found
 * by searching for the shortest corrupt prefix; beyond 16 MiB of compressed data, an upper bound).
 */
export class ZipCorruptInputError extends ZipError {
  constructor(readonly offset: number) {
    super('EZIPFLATE', `flate: corrupt input before offset ${offset}`);
  }
}

/** dirhash.Hash1 refuses names with a newline, which would forge summary lines. */
export class DirhashNewlineError extends ZipError {
  constructor() {
    super('EDIRHASHNEWLINE', 'dirhash: filenames with newlines are not supported');
  }
}

/** cmd/go downloadZip's pre-check: every entry must lie under `path@version/`. */
export class UnexpectedZipFileError extends ZipError {
  constructor(
    readonly modulePrefix: string,
    readonly fileName: string,
  ) {
    super('EZIPUNEXPECTED', `zip for ${modulePrefix} has unexpected file ${fileName}`);
  }
}

/**
 * A violation of the module zip rules (x/mod/zip checkZip): a non-canonical or invalid module version,
 * a zip or module that is too large, or the list of invalid files, one `NAME: reason` per line.
 */
export class ZipCheckError extends ZipError {
  constructor(
    message: string,
    readonly invalid: readonly { name: string; reason: string }[] = [],
  ) {
    super('EZIPCHECK', message);
  }
}

/**
 * x/mod/zip Unzip's wrapper: `unzip ZIPFILE: reason`. go hashes the zip (and checks go.sum) before it
 * unzips, so when the hash could be computed it is attached as `h1`: a caller that reproduces go's order
 * checks `h1` against go.sum first and reports this error only if the sum matched.
 */
export class UnzipError extends ZipError {
  /**
   * Set when the zip passed its checksum check and so stays in the cache, as go's does (its
   * DownloadZip had published it before Download's unzip failed): the zip's path and its `h1:`,
   * which go's -json reports as Zip and Sum beside the error.
   */
  kept?: { zip: string; sum: string };

  constructor(
    readonly zipFile: string,
    readonly reason: Error,
    readonly h1?: string,
  ) {
    super('EUNZIP', `unzip ${zipFile}: ${reason.message}`);
  }
}
