#include "domain/feedback/porter_stemmer.h"

#include <array>

namespace caredesk::feedback {
namespace {

// The word being stemmed, following the structure of Porter's reference implementation: b_ is
// the word, k_ the index of its last letter, j_ the end of the stem when a suffix matched.
class Stemmer {
 public:
  explicit Stemmer(std::string_view word) : b_(word), k_(static_cast<int>(word.size()) - 1) {}

  std::string Run() {
    Step1ab();
    if (k_ > 0) {
      Step1c();
      Step2();
      Step3();
      Step4();
      Step5();
    }
    return b_.substr(0, static_cast<size_t>(k_ + 1));
  }

 private:
  // True when b_[i] is a consonant: not a e i o u, and y only after a vowel (or first).
  bool Cons(int i) const {
    switch (b_[static_cast<size_t>(i)]) {
      case 'a':
      case 'e':
      case 'i':
      case 'o':
      case 'u':
        return false;
      case 'y':
        return i == 0 ? true : !Cons(i - 1);
      default:
        return true;
    }
  }

  // m(): the number of vowel-consonant sequences in b_[0..j_].
  int Measure() const {
    int n = 0;
    int i = 0;
    while (true) {
      if (i > j_) return n;
      if (!Cons(i)) break;
      ++i;
    }
    ++i;
    while (true) {
      while (true) {
        if (i > j_) return n;
        if (Cons(i)) break;
        ++i;
      }
      ++i;
      ++n;
      while (true) {
        if (i > j_) return n;
        if (!Cons(i)) break;
        ++i;
      }
      ++i;
    }
  }

  // True when b_[0..j_] contains a vowel.
  bool VowelInStem() const {
    for (int i = 0; i <= j_; ++i) {
      if (!Cons(i)) return true;
    }
    return false;
  }

  // True when b_[j-1..j] is a double consonant.
  bool DoubleCons(int j) const {
    if (j < 1) return false;
    if (b_[static_cast<size_t>(j)] != b_[static_cast<size_t>(j - 1)]) return false;
    return Cons(j);
  }

  // True when b_[i-2..i] is consonant-vowel-consonant and the last is not w, x or y ("hop" but
  // not "snow"): such a stem gets its "e" back ("hoping" → "hope").
  bool Cvc(int i) const {
    if (i < 2 || !Cons(i) || Cons(i - 1) || !Cons(i - 2)) return false;
    const char ch = b_[static_cast<size_t>(i)];
    return ch != 'w' && ch != 'x' && ch != 'y';
  }

  // True when b_[0..k_] ends with `s`; sets j_ to the end of what precedes it.
  bool Ends(std::string_view s) {
    const int length = static_cast<int>(s.size());
    if (length > k_ + 1) return false;
    if (std::string_view(b_).substr(static_cast<size_t>(k_ + 1 - length), s.size()) != s) return false;
    j_ = k_ - length;
    return true;
  }

  // Replaces b_[j_+1..k_] by `s`.
  void SetTo(std::string_view s) {
    b_.replace(static_cast<size_t>(j_ + 1), static_cast<size_t>(k_ - j_), s);
    k_ = j_ + static_cast<int>(s.size());
  }

  void ReplaceIfMeasured(std::string_view s) {
    if (Measure() > 0) SetTo(s);
  }

  // Plurals and -ed / -ing: caresses → caress, ponies → poni, cats → cat, feed → feed,
  // agreed → agree, plastered → plaster, motoring → motor, hopping → hop, filing → file.
  void Step1ab() {
    if (b_[static_cast<size_t>(k_)] == 's') {
      if (Ends("sses")) {
        k_ -= 2;
      } else if (Ends("ies")) {
        SetTo("i");
      } else if (b_[static_cast<size_t>(k_ - 1)] != 's') {
        --k_;
      }
    }
    if (Ends("eed")) {
      if (Measure() > 0) --k_;
    } else if ((Ends("ed") || Ends("ing")) && VowelInStem()) {
      k_ = j_;
      if (Ends("at")) {
        SetTo("ate");
      } else if (Ends("bl")) {
        SetTo("ble");
      } else if (Ends("iz")) {
        SetTo("ize");
      } else if (DoubleCons(k_)) {
        --k_;
        const char ch = b_[static_cast<size_t>(k_)];
        if (ch == 'l' || ch == 's' || ch == 'z') ++k_;
      } else if (Measure() == 1 && Cvc(k_)) {
        j_ = k_;
        SetTo("e");
      }
    }
  }

  // Terminal y → i when there is another vowel in the stem ("happy" → "happi").
  void Step1c() {
    if (Ends("y") && VowelInStem()) b_[static_cast<size_t>(k_)] = 'i';
  }

  struct Rule {
    std::string_view suffix;
    std::string_view replacement;
  };

  // Double suffixes to single ones when m() > 0 (the 1980 rules): -ization → -ize, -fulness → -ful, …
  void Step2() {
    static constexpr std::array<Rule, 20> kRules = {
        {{"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"}, {"anci", "ance"}, {"izer", "ize"},
         {"abli", "able"},   {"alli", "al"},     {"entli", "ent"}, {"eli", "e"},     {"ousli", "ous"},
         {"ization", "ize"}, {"ation", "ate"},   {"ator", "ate"},  {"alism", "al"},  {"iveness", "ive"},
         {"fulness", "ful"}, {"ousness", "ous"}, {"aliti", "al"},  {"iviti", "ive"}, {"biliti", "ble"}}};
    ApplyFirst(kRules);
  }

  // -ic-, -full, -ness etc.
  void Step3() {
    static constexpr std::array<Rule, 7> kRules = {
        {{"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"}, {"ical", "ic"}, {"ful", ""}, {"ness", ""}}};
    ApplyFirst(kRules);
  }

  // The first rule whose suffix ends the word applies (if m() > 0); later rules are not tried.
  template <size_t N>
  void ApplyFirst(const std::array<Rule, N>& rules) {
    if (k_ < 1) return;
    for (const Rule& rule : rules) {
      if (Ends(rule.suffix)) {
        ReplaceIfMeasured(rule.replacement);
        return;
      }
    }
  }

  // -ant, -ence etc. removed when m() > 1.
  void Step4() {
    static constexpr std::array<std::string_view, 19> kSuffixes = {"al",  "ance",  "ence", "er",  "ic",  "able", "ible",
                                                                   "ant", "ement", "ment", "ent", "ion", "ou",   "ism",
                                                                   "ate", "iti",   "ous",  "ive", "ize"};
    if (k_ < 1) return;
    for (std::string_view suffix : kSuffixes) {
      if (!Ends(suffix)) continue;
      if (suffix == "ion") {
        // -ion only after s or t.
        if (j_ < 0 || (b_[static_cast<size_t>(j_)] != 's' && b_[static_cast<size_t>(j_)] != 't')) return;
      }
      // As in Porter's table, the first suffix that ends the word decides ("ement" is tried
      // before "ment" and "ent"), whether or not m() allows removing it.
      if (Measure() > 1) k_ = j_;
      return;
    }
  }

  // Final -e when m() > 1 (or m() == 1 and not *o), and -ll → -l when m() > 1.
  void Step5() {
    j_ = k_;
    if (b_[static_cast<size_t>(k_)] == 'e') {
      const int a = Measure();
      if (a > 1 || (a == 1 && !Cvc(k_ - 1))) --k_;
    }
    // m() is still that of the word before the "e" step, as in Porter's reference code.
    if (b_[static_cast<size_t>(k_)] == 'l' && DoubleCons(k_) && Measure() > 1) --k_;
  }

  std::string b_;
  int k_;
  int j_ = 0;
};

}  // namespace

std::string PorterStem(std::string_view word) {
  if (word.size() < 3) return std::string(word);
  for (char c : word) {
    if (c < 'a' || c > 'z') return std::string(word);
  }
  return Stemmer(word).Run();
}

}  // namespace caredesk::feedback
