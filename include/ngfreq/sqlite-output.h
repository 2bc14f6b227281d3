// -o FILE.sqlite: a count's rows as an SQLite table, for notebooks and
// databases. The schema (README, "SQLite output"):
//
//   CREATE TABLE ngrams(ngram TEXT PRIMARY KEY, total INTEGER,
//                       volumes INTEGER) WITHOUT ROWID
//   with --by-year: ngrams(ngram TEXT, year INTEGER, total INTEGER,
//                          volumes INTEGER, PRIMARY KEY (ngram, year))
//
// An n-gram that is not valid UTF-8 is stored as a BLOB of its bytes, so
// nothing is altered (typeof(ngram) tells which). A total above SQLite's
// largest INTEGER (2^63 - 1) is an error, not a rounded REAL.
//
// The database is written in one transaction into the temporary file an
// OutputFile made beside the target, and commit() renames it over the
// target: atomic as every output of ngfreq, so the database needs no
// journal of its own.
#pragma once

#include <string>
#include <string_view>

#include "ngfreq/output-file.h"
#include "ngfreq/row-format.h"
#include "ngfreq/row-sink.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ngfreq {

/// Whether -o `path` names an SQLite database by its extension (.sqlite,
/// .sqlite3 or .db).
bool is_sqlite_path(std::string_view path);

class SqliteOutput : public RowSink {
 public:
  /// The layout the rows given to write() must have: TSV, with volumes.
  static RowLayout row_layout(bool by_year) { return {RowFormat::tsv, by_year, true}; }

  /// Creates the table in `file`'s temporary file. Throws Error naming the
  /// path when the output is not a regular file (a device, FIFO, socket or
  /// standard output: a database needs a file to seek in).
  SqliteOutput(OutputFile& file, bool by_year);
  SqliteOutput(const SqliteOutput&) = delete;
  SqliteOutput& operator=(const SqliteOutput&) = delete;
  ~SqliteOutput() override;

  /// Inserts rows in row_layout(by_year).
  void write(std::string_view rows) override;
  /// Commits the transaction, closes the database and renames it over the
  /// target (OutputFile::commit).
  void commit();

  i64 rows() const { return rows_; }

 private:
  [[noreturn]] void fail(const std::string& what);

  OutputFile& file_;
  bool by_year_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  i64 rows_ = 0;
};

}  // namespace ngfreq
