#include "generate/word-list.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

namespace ngfreq::generator {

Words load_words(const std::string& path, char lead) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f)
    throw Error(
        fmt::format("cannot open word list '{}': {} (install Debian's with 'apt-get "
                    "install wamerican', or give another list, one word a line)",
                    path, errno_string()));
  std::string data;
  char buf[1 << 16];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) data.append(buf, n);
  bool failed = std::ferror(f);
  std::fclose(f);
  if (failed) throw Error(fmt::format("cannot read word list '{}'", path));

  Words words;
  for (size_t pos = 0; pos < data.size();) {
    size_t end = data.find('\n', pos);
    if (end == std::string::npos) end = data.size();
    std::string_view w(data.data() + pos, end - pos);
    pos = end + 1;
    if (!w.empty() && w.back() == '\r') w.remove_suffix(1);
    if (w.empty() || w.size() > 40 || w.ends_with("'s")) continue;
    if (std::any_of(w.begin(), w.end(), [](char c) { return u8(c) <= ' ' || c == '_'; })) continue;
    words.all.emplace_back(w);
    words.pseudo.train(w);
    char c = w[0] | 0x20;
    if (!lead || c == lead) words.lead.emplace_back(w);
  }
  if (words.lead.empty())
    throw Error(lead ? fmt::format("word list '{}' has no word starting with '{}'", path, lead)
                     : fmt::format("word list '{}' has no words", path));
  return words;
}

}  // namespace ngfreq::generator
