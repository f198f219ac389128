"""A dataset folder at a URL (``s3a://``, ``hdfs://``, ``abfss://``, ``gs://``, ``file://``, ...), read
through the Hadoop file system of a Spark session: the very file systems, connectors and credentials
with which Spark reads the tables, so whatever URL ``spark.read.parquet`` reads, the folder checks read.

The folder is listed once (``FileSystem.listFiles``, recursive); datapackage.json and SHA256SUMS are
read whole; a Parquet file's Arrow schema is read by pyarrow from the file's footer, the very metadata it
reads from a local file, so the schema check compares the same Arrow types; files are hashed in the
driver's JVM. The JVM is reached through the session's py4j gateway; few bytes cross it (it carries
about a megabyte a second).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from diplonews.errors import UserError
from diplonews.validators.folder import DatasetFolder, in_path_order

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import SparkSession


def _java_class(exc: BaseException) -> str:
    java = getattr(exc, "java_exception", None)
    return java.getClass().getName() if java is not None else ""


def _java_message(exc: BaseException) -> str:
    java = getattr(exc, "java_exception", None)
    text = (java.getMessage() if java is not None else None) or str(exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


class HadoopFolder(DatasetFolder):
    """The files under ``url``, as the Hadoop file system of ``session`` lists them when it is made."""

    def __init__(self, session: SparkSession, url: str) -> None:
        from py4j.protocol import Py4JError

        self.location = url.rstrip("/")
        try:
            self._jvm = session._jvm
            conf = session._jsc.hadoopConfiguration()
        except AttributeError:
            raise UserError(f"cannot read {url}: this Spark session has no JVM in the driver (Spark Connect?)",
                            "validate from a classic Spark session, or give a path the driver has mounted") from None
        try:
            root = self._jvm.org.apache.hadoop.fs.Path(self.location)
            fs = root.getFileSystem(conf)
            # file:// is Hadoop's checksum file system, which hides .crc files and checks them on every read;
            # its raw file system lists and reads the bytes and names a local path shows.
            checksummed = self._jvm.java.lang.Class.forName("org.apache.hadoop.fs.ChecksumFileSystem")
            self._fs = fs.getRawFileSystem() if checksummed.isInstance(fs) else fs
            status = self._fs.getFileStatus(root)
            is_dir = status.isDirectory()
            prefix = self._fs.makeQualified(root).toString().rstrip("/") + "/"
            self._sizes = self._list(root, prefix) if is_dir else {}
        except Py4JError as exc:
            raise self._user_error(exc) from None
        if not is_dir:
            raise UserError(f"{url} is a file, not a folder", "give the URL of a built dataset folder")
        self._hashes: dict[str, str] = {}

    def _user_error(self, exc: BaseException) -> UserError:
        kind = _java_class(exc)
        if kind == "java.io.FileNotFoundException":
            return UserError(f"{self.location} does not exist",
                             "give the URL of a built dataset folder (diplonews build, then copy it there)"
                             + ("; a URL is read as written, as Spark reads it: %20 is not a space"
                                if "%" in self.location else ""))
        if kind.endswith("UnsupportedFileSystemException"):
            return UserError(f"cannot read {self.location}: {_java_message(exc)}",
                             "Spark needs the Hadoop connector of this scheme on its classpath "
                             "(e.g. hadoop-aws for s3a://, hadoop-azure for abfss://, gcs-connector for gs://)")
        return UserError(f"cannot read {self.location}: {_java_message(exc)}",
                         "check the URL, and that this Spark session can read it (credentials, network)")

    def _list(self, root: Any, prefix: str) -> dict[str, int]:
        """Every file under ``root`` by its path relative to the folder, with its size."""
        sizes = {}
        found = self._fs.listFiles(root, True)
        while found.hasNext():
            status = found.next()
            path = status.getPath().toString()
            if not path.startswith(prefix):  # a mount table or link that leads elsewhere: no relative path
                raise UserError(f"cannot read {self.location}: its file system lists {path} in it",
                                "give the URL the folder's files are listed under")
            sizes[path.removeprefix(prefix)] = status.getLen()
        return {rel: sizes[rel] for rel in in_path_order(list(sizes))}

    def _hadoop_path(self, rel: str) -> Any:
        return self._jvm.org.apache.hadoop.fs.Path(self.path(rel))

    def files(self) -> list[str]:
        """See :meth:`DatasetFolder.files`."""
        return list(self._sizes)

    def names(self, rel: str) -> list[str]:
        """See :meth:`DatasetFolder.names`: the files in it, and its subfolders that hold files."""
        prefix = rel.rstrip("/") + "/"
        return list(dict.fromkeys(f.removeprefix(prefix).split("/")[0] for f in self._sizes if f.startswith(prefix)))

    def is_file(self, rel: str) -> bool:
        """See :meth:`DatasetFolder.is_file`."""
        return rel in self._sizes

    def _open(self, rel: str) -> Any:
        from py4j.protocol import Py4JError

        if rel not in self._sizes:
            raise FileNotFoundError(2, "No such file", self.path(rel))
        try:
            return self._fs.open(self._hadoop_path(rel))
        except Py4JError as exc:
            raise self._os_error(exc, rel) from None

    def _os_error(self, exc: BaseException, rel: str) -> OSError:
        if _java_class(exc) == "java.io.FileNotFoundException":
            return FileNotFoundError(2, "No such file", self.path(rel))
        return OSError(None, _java_message(exc), self.path(rel))

    def read_bytes(self, rel: str) -> bytes:
        """See :meth:`DatasetFolder.read_bytes`."""
        from py4j.protocol import Py4JError

        stream = self._open(rel)
        try:
            return bytes(stream.readAllBytes())
        except Py4JError as exc:
            raise self._os_error(exc, rel) from None
        finally:
            stream.close()

    def sha256(self, rel: str) -> str:
        """See :meth:`DatasetFolder.sha256`: streamed through the digest in the driver's JVM, in constant
        memory, no byte of the file crossing into Python (about 600 MB/s from a local disk)."""
        from py4j.protocol import Py4JError

        if rel in self._hashes:
            return self._hashes[rel]
        jvm = self._jvm
        stream = self._open(rel)
        try:
            digest = jvm.java.security.MessageDigest.getInstance("SHA-256")
            # transferTo streams the file through the digest inside the JVM: one call, whatever the size.
            jvm.java.security.DigestInputStream(stream, digest).transferTo(jvm.java.io.OutputStream.nullOutputStream())
            self._hashes[rel] = bytes(digest.digest()).hex()
        except Py4JError as exc:
            raise self._os_error(exc, rel) from None
        finally:
            stream.close()
        return self._hashes[rel]

    def parquet_schema(self, rel: str) -> pa.Schema:
        """See :meth:`DatasetFolder.parquet_schema`. The schema is all in the file's footer (its Thrift
        metadata, with the Arrow schema pyarrow wrote): only the footer is read, and pyarrow reads it
        framed as a file of its own (``PAR1`` + footer + length + ``PAR1``). Bytes cross from the JVM to
        Python slowly (about a megabyte a second through py4j), and pyarrow would read the last 64 KiB."""
        import pyarrow as pa
        import pyarrow.parquet as pq
        from py4j.protocol import Py4JError

        stream = self._open(rel)
        size = self._sizes[rel]
        try:
            tail = self._read_at(stream, max(size - 8, 0), min(size, 8))
            length = int.from_bytes(tail[:4], "little") if len(tail) == 8 and tail[4:] == b"PAR1" else size
            if length <= size - 8:
                return pq.read_schema(pa.BufferReader(b"PAR1" + self._read_at(stream, size - length - 8, length + 8)))
            # Not a Parquet file, or a cut one: pyarrow reads it as it reads a local file (it is small, or
            # pyarrow stops at its last bytes), so it says what is wrong in the same words.
            return pq.read_schema(pa.PythonFile(_JvmFile(stream, size), mode="r"))
        except Py4JError as exc:
            raise self._os_error(exc, rel) from None
        finally:
            stream.close()

    @staticmethod
    def _read_at(stream: Any, position: int, length: int) -> bytes:
        stream.seek(position)
        return bytes(stream.readNBytes(length))


class _JvmFile(io.RawIOBase):
    """A Hadoop input stream as a seekable Python file, for pyarrow (through py4j: slow, for small reads)."""

    def __init__(self, stream: Any, size: int) -> None:
        super().__init__()
        self._stream, self._size, self._pos = stream, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._pos = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence] + offset
        return self._pos

    def readinto(self, buffer: Any) -> int:
        n = max(min(len(buffer), self._size - self._pos), 0)
        data = HadoopFolder._read_at(self._stream, self._pos, n) if n else b""
        buffer[:len(data)] = data
        self._pos += len(data)
        return len(data)
