#include "domain/patients/name_match.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <unordered_map>

namespace caredesk {
namespace {

// ---- UTF-8 folding -------------------------------------------------------------------------

struct FoldRange {
  char32_t first;
  char32_t last;
  const char* ascii;
};

// Latin letters that fold to ASCII; both cases fold to lowercase.
constexpr FoldRange kFolds[] = {
    {0x00C0, 0x00C5, "a"},  {0x00C6, 0x00C6, "ae"}, {0x00C7, 0x00C7, "c"},  {0x00C8, 0x00CB, "e"},
    {0x00CC, 0x00CF, "i"},  {0x00D0, 0x00D0, "d"},  {0x00D1, 0x00D1, "n"},  {0x00D2, 0x00D6, "o"},
    {0x00D8, 0x00D8, "o"},  {0x00D9, 0x00DC, "u"},  {0x00DD, 0x00DD, "y"},  {0x00DE, 0x00DE, "th"},
    {0x00DF, 0x00DF, "ss"}, {0x00E0, 0x00E5, "a"},  {0x00E6, 0x00E6, "ae"}, {0x00E7, 0x00E7, "c"},
    {0x00E8, 0x00EB, "e"},  {0x00EC, 0x00EF, "i"},  {0x00F0, 0x00F0, "d"},  {0x00F1, 0x00F1, "n"},
    {0x00F2, 0x00F6, "o"},  {0x00F8, 0x00F8, "o"},  {0x00F9, 0x00FC, "u"},  {0x00FD, 0x00FD, "y"},
    {0x00FE, 0x00FE, "th"}, {0x00FF, 0x00FF, "y"},  {0x0100, 0x0105, "a"},  {0x0106, 0x010D, "c"},
    {0x010E, 0x0111, "d"},  {0x0112, 0x011B, "e"},  {0x011C, 0x0123, "g"},  {0x0124, 0x0127, "h"},
    {0x0128, 0x0131, "i"},  {0x0132, 0x0133, "ij"}, {0x0134, 0x0135, "j"},  {0x0136, 0x0138, "k"},
    {0x0139, 0x0142, "l"},  {0x0143, 0x014B, "n"},  {0x014C, 0x0151, "o"},  {0x0152, 0x0153, "oe"},
    {0x0154, 0x0159, "r"},  {0x015A, 0x0161, "s"},  {0x0162, 0x0167, "t"},  {0x0168, 0x0173, "u"},
    {0x0174, 0x0175, "w"},  {0x0176, 0x0178, "y"},  {0x0179, 0x017E, "z"},  {0x017F, 0x017F, "s"},
    {0x0218, 0x0219, "s"},  {0x021A, 0x021B, "t"},  {0x1E9E, 0x1E9E, "ss"},
};

const char* FoldCodePoint(char32_t cp) {
  if (cp == 0x2018 || cp == 0x2019 || cp == 0x02BC || cp == 0x00B4) return "'";
  if (cp >= 0x2010 && cp <= 0x2015) return "-";
  if (cp == 0x00A0) return " ";
  if (cp >= 0x0300 && cp <= 0x036F) return "";  // combining accents
  for (const FoldRange& r : kFolds) {
    if (cp >= r.first && cp <= r.last) return r.ascii;
  }
  return nullptr;
}

// Decodes one UTF-8 code point at `s[i]`; returns its length, or 0 when malformed.
size_t DecodeUtf8(std::string_view s, size_t i, char32_t& cp) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  size_t len = 0;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr char32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLength[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Characters removed inside a token rather than splitting it.
bool IsJoiner(char c) { return c == '\'' || c == '.' || c == '`' || c == '"'; }

// ---- Nicknames -----------------------------------------------------------------------------

// Each line is a family: a formal given name first, then its short forms and close variants.
constexpr const char* kNicknameFamilies[] = {
    "robert bob bobby rob robbie robby bert",
    "william bill billy will willie willy liam",
    "elizabeth liz lizzie beth betty betsy eliza libby elisabeth",
    "john jon johnny jonny jack",
    "katherine kate kathy katie kat kay catherine kathryn cathy katharine",
    "margaret maggie meg peggy marge margie greta",
    "james jim jimmy jamie",
    "richard rick ricky dick rich richie",
    "michael mike mikey mick mickey",
    "thomas tom tommy",
    "joseph joe joey",
    "charles charlie chuck chas",
    "edward ed eddie ted teddy ned",
    "anthony tony",
    "christopher chris kit topher",
    "daniel dan danny",
    "david dave davey",
    "matthew matt matty",
    "andrew andy drew",
    "alexander alex al sandy xander alec sasha",
    "alexandra alex lexi sasha sandra",
    "benjamin ben benny benji",
    "nicholas nick nicky nico",
    "patrick pat paddy",
    "patricia pat patty trish tricia",
    "jennifer jen jenny jennie",
    "rebecca becky becca",
    "susan sue susie suzy",
    "deborah deb debbie debby",
    "samuel sam sammy",
    "samantha sam sammie",
    "steven steve stevie stephen",
    "timothy tim timmy",
    "gregory greg",
    "jonathan jon jonny",
    "joshua josh",
    "kenneth ken kenny",
    "ronald ron ronnie",
    "donald don donnie",
    "lawrence larry laurence",
    "raymond ray",
    "gerald jerry gerry",
    "peter pete",
    "frederick fred freddie freddy",
    "henry hank harry hal",
    "harold harry hal",
    "walter walt wally",
    "albert al bert bertie",
    "alfred al alf alfie fred",
    "victoria vicky tori",
    "christine chris chrissy tina christina",
    "dorothy dot dottie dolly",
    "abigail abby abbie gail",
    "barbara barb barbie babs",
    "pamela pam",
    "cynthia cindy",
    "theresa terry tess tessa teresa",
    "frances fran frankie",
    "francis frank fran",
    "eleanor ellie nell nellie nora",
    "mary molly polly mae mamie",
    "sarah sally sadie sara",
    "anne ann annie nan nancy anna",
    "jacqueline jackie",
    "josephine jo josie",
    "judith judy",
    "kimberly kim",
    "leonard leo len lenny",
    "nathaniel nate nat nathan",
    "philip phil phillip",
    "randall randy",
    "stanley stan",
    "vincent vince vinny",
    "zachary zach zack",
    "jose pepe",
    "francisco paco pancho",
    "guadalupe lupe",
    "manuel manny",
    "alejandro alex",
};

class NicknameTable {
 public:
  NicknameTable() {
    for (uint16_t f = 0; f < std::size(kNicknameFamilies); ++f) {
      std::string_view line = kNicknameFamilies[f];
      std::vector<std::string_view>& members = families_.emplace_back();
      while (!line.empty()) {
        const size_t space = line.find(' ');
        std::string_view name = line.substr(0, space);
        members.push_back(name);
        families_of_[name].push_back(f);
        line = space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
      }
    }
  }

  static const NicknameTable& Get() {
    static const NicknameTable table;
    return table;
  }

  const std::vector<uint16_t>* FamiliesOf(std::string_view name) const {
    auto it = families_of_.find(name);
    return it == families_of_.end() ? nullptr : &it->second;
  }
  const std::vector<std::string_view>& Members(uint16_t family) const { return families_[family]; }

 private:
  std::vector<std::vector<std::string_view>> families_;
  std::unordered_map<std::string_view, std::vector<uint16_t>> families_of_;
};

// ---- Metaphone -----------------------------------------------------------------------------

bool IsVowel(char c) { return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U'; }
bool IsFrontVowel(char c) { return c == 'E' || c == 'I' || c == 'Y'; }

}  // namespace

std::string FoldToAscii(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const size_t len = DecodeUtf8(text, i, cp);
    if (len == 0) {  // malformed byte: drop it
      ++i;
      continue;
    }
    if (len == 1) {
      out.push_back(AsciiLower(static_cast<char>(cp)));
    } else if (const char* folded = FoldCodePoint(cp)) {
      out += folded;
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::vector<std::string> NameTokens(std::string_view name) {
  const std::string folded = FoldToAscii(name);
  std::vector<std::string> tokens;
  std::string current;
  for (char c : folded) {
    if (IsAsciiAlnum(c) || static_cast<unsigned char>(c) >= 0x80) {
      current.push_back(c);
    } else if (!IsJoiner(c) && !current.empty()) {
      tokens.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  return tokens;
}

std::string NormalizeName(std::string_view name) {
  std::string out;
  for (const std::string& token : NameTokens(name)) {
    if (!out.empty()) out.push_back(' ');
    out += token;
  }
  return out;
}

int DamerauLevenshtein(std::string_view a, std::string_view b, int max_distance) {
  // A common prefix or suffix never changes the optimal alignment.
  while (!a.empty() && !b.empty() && a.front() == b.front()) {
    a.remove_prefix(1);
    b.remove_prefix(1);
  }
  while (!a.empty() && !b.empty() && a.back() == b.back()) {
    a.remove_suffix(1);
    b.remove_suffix(1);
  }
  if (a.size() > b.size()) std::swap(a, b);
  const int la = static_cast<int>(a.size());
  const int lb = static_cast<int>(b.size());
  if (lb - la > max_distance) return max_distance + 1;
  if (la == 0) return lb;

  // Three rolling rows of the OSA matrix; names fit the stack buffer.
  constexpr int kStackColumns = 64;
  std::array<int, 3 * (kStackColumns + 1)> stack_rows;
  std::vector<int> heap_rows;
  int* rows = stack_rows.data();
  if (lb > kStackColumns) {
    heap_rows.resize(3 * (lb + 1));
    rows = heap_rows.data();
  }
  int* before = rows;             // row i-2
  int* previous = rows + lb + 1;  // row i-1
  int* current = rows + 2 * (lb + 1);
  for (int j = 0; j <= lb; ++j) previous[j] = j;

  for (int i = 1; i <= la; ++i) {
    current[0] = i;
    int row_min = i;
    for (int j = 1; j <= lb; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int d = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d = std::min(d, before[j - 2] + 1);
      }
      current[j] = d;
      row_min = std::min(row_min, d);
    }
    // Row minima never decrease, so no later cell can come back under the bound.
    if (row_min > max_distance) return max_distance + 1;
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return std::min(previous[lb], max_distance + 1);
}

double JaroWinkler(std::string_view a, std::string_view b) {
  if (a == b) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  const size_t window = std::max<size_t>(std::max(a.size(), b.size()) / 2, 1) - 1;

  // Match flags; names fit the stack buffer.
  constexpr size_t kStackFlags = 64;
  std::array<char, 2 * kStackFlags> stack_flags{};
  std::vector<char> heap_flags;
  char* a_matched = stack_flags.data();
  char* b_matched = stack_flags.data() + kStackFlags;
  if (a.size() > kStackFlags || b.size() > kStackFlags) {
    heap_flags.assign(a.size() + b.size(), 0);
    a_matched = heap_flags.data();
    b_matched = heap_flags.data() + a.size();
  }
  size_t matches = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const size_t lo = i > window ? i - window : 0;
    const size_t hi = std::min(b.size(), i + window + 1);
    for (size_t j = lo; j < hi; ++j) {
      if (!b_matched[j] && a[i] == b[j]) {
        a_matched[i] = b_matched[j] = 1;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;

  size_t transpositions = 0;
  for (size_t i = 0, j = 0; i < a.size(); ++i) {
    if (!a_matched[i]) continue;
    while (!b_matched[j]) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  const double m = static_cast<double>(matches);
  const double jaro = (m / a.size() + m / b.size() + (m - transpositions / 2.0) / m) / 3.0;
  if (jaro < 0.7) return jaro;

  size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return jaro + prefix * 0.1 * (1.0 - jaro);
}

std::string PhoneticKey(std::string_view name) {
  std::string w;
  for (char c : FoldToAscii(name)) {
    if (c >= 'a' && c <= 'z') w.push_back(static_cast<char>(c - 'a' + 'A'));
  }
  if (w.empty()) return {};

  // Initial letter exceptions.
  size_t start = 0;
  const std::string_view head = std::string_view(w).substr(0, 2);
  if (head == "AE" || head == "GN" || head == "KN" || head == "PN" || head == "WR") start = 1;
  if (w[0] == 'X') w[0] = 'S';
  if (head == "WH") w.erase(1, 1);

  const int n = static_cast<int>(w.size());
  const auto at = [&](int i) -> char { return (i >= 0 && i < n) ? w[i] : '\0'; };
  std::string key;
  const auto emit = [&](char code) {
    if (key.empty() || key.back() != code) key.push_back(code);
  };

  for (int i = static_cast<int>(start); i < n; ++i) {
    const char c = w[i];
    if (c == at(i - 1) && c != 'C') continue;  // doubled letters sound once
    switch (c) {
      case 'A':
      case 'E':
      case 'I':
      case 'O':
      case 'U':
        if (i == static_cast<int>(start)) emit(c);
        break;
      case 'B':
        if (!(i == n - 1 && at(i - 1) == 'M')) emit('B');  // silent in final -MB
        break;
      case 'C':
        if (at(i + 1) == 'I' && at(i + 2) == 'A') {
          emit('X');
        } else if (at(i + 1) == 'H') {
          emit(at(i - 1) == 'S' ? 'K' : 'X');
          ++i;
        } else if (IsFrontVowel(at(i + 1))) {
          if (at(i - 1) != 'S') emit('S');  // SCI, SCE, SCY: the C is silent
        } else {
          emit('K');
        }
        break;
      case 'D':
        if (at(i + 1) == 'G' && IsFrontVowel(at(i + 2))) {
          emit('J');
          i += 2;
        } else {
          emit('T');
        }
        break;
      case 'G':
        if (at(i + 1) == 'H' && i + 2 < n && !IsVowel(at(i + 2))) break;  // silent GH: "night"
        if (at(i + 1) == 'N' &&
            (i + 2 == n || (at(i + 2) == 'E' && at(i + 3) == 'D' && i + 4 == n))) {
          break;  // silent in final -GN, -GNED
        }
        emit(IsFrontVowel(at(i + 1)) && at(i - 1) != 'G' ? 'J' : 'K');
        break;
      case 'H':
        if (IsVowel(at(i + 1)) &&
            std::string_view("CGPST").find(at(i - 1)) == std::string_view::npos) {
          emit('H');
        }
        break;
      case 'K':
        if (at(i - 1) != 'C') emit('K');
        break;
      case 'P':
        if (at(i + 1) == 'H') {
          emit('F');
          ++i;
        } else {
          emit('P');
        }
        break;
      case 'Q':
        emit('K');
        break;
      case 'S':
        if (at(i + 1) == 'H') {
          emit('X');
          ++i;
        } else if (at(i + 1) == 'I' && (at(i + 2) == 'O' || at(i + 2) == 'A')) {
          emit('X');
        } else {
          emit('S');
        }
        break;
      case 'T':
        if (at(i + 1) == 'I' && (at(i + 2) == 'O' || at(i + 2) == 'A')) {
          emit('X');
        } else if (at(i + 1) == 'H') {
          emit('0');
          ++i;
        } else if (!(at(i + 1) == 'C' && at(i + 2) == 'H')) {
          emit('T');
        }
        break;
      case 'V':
        emit('F');
        break;
      case 'W':
      case 'Y':
        if (IsVowel(at(i + 1))) emit(c);
        break;
      case 'X':
        emit('K');
        emit('S');
        break;
      case 'Z':
        emit('S');
        break;
      default:  // F J L M N R sound as written
        emit(c);
        break;
    }
  }
  return key;
}

bool AreNicknames(std::string_view a, std::string_view b) {
  if (a == b) return false;
  const NicknameTable& table = NicknameTable::Get();
  const std::vector<uint16_t>* fa = table.FamiliesOf(a);
  const std::vector<uint16_t>* fb = table.FamiliesOf(b);
  if (fa == nullptr || fb == nullptr) return false;
  for (uint16_t f : *fa) {
    if (std::find(fb->begin(), fb->end(), f) != fb->end()) return true;
  }
  return false;
}

std::vector<std::string_view> NicknameVariants(std::string_view name) {
  const NicknameTable& table = NicknameTable::Get();
  std::vector<std::string_view> variants;
  const std::vector<uint16_t>* families = table.FamiliesOf(name);
  if (families == nullptr) return variants;
  for (uint16_t f : *families) {
    for (std::string_view member : table.Members(f)) {
      if (member != name && std::find(variants.begin(), variants.end(), member) == variants.end()) {
        variants.push_back(member);
      }
    }
  }
  return variants;
}

}  // namespace caredesk
