//! The words of a procedure's texts: found by bytes, kept once each, sorted.

use crate::model::{Procedure, Text};
use crate::text::fold_into;
use std::sync::{Arc, Mutex};

/// A word and its first sixteen bytes as a big-endian number, zero-padded: numbers
/// compare as the strings' starts do (a shorter start is smaller), so nearly every
/// comparison of a sort is one integer comparison: two words with the same number and
/// the same length of at most sixteen bytes are the same word, and only longer words
/// sharing their first sixteen bytes compare as strings.
#[derive(Clone, Copy)]
pub(super) struct Word<'t> {
    pub(super) key: u128,
    pub(super) text: &'t str,
}

impl<'t> Word<'t> {
    pub(super) fn new(text: &'t str) -> Word<'t> {
        Word::within(text, text.as_bytes())
    }

    /// The word `text`, which starts `rest`: sixteen bytes are read at once when `rest`
    /// has them (the bytes after the word masked off).
    fn within(text: &'t str, rest: &[u8]) -> Word<'t> {
        let key = match rest.first_chunk::<16>() {
            Some(chunk) if text.len() >= 16 => u128::from_be_bytes(*chunk),
            Some(chunk) => u128::from_be_bytes(*chunk) & !(u128::MAX >> (8 * text.len())),
            None => text
                .bytes()
                .take(16)
                .enumerate()
                .fold(0, |k, (i, b)| k | (u128::from(b) << (8 * (15 - i)))),
        };
        Word { key, text }
    }
}

impl Ord for Word<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.cmp(&other.key).then_with(|| {
            if self.text.len() == other.text.len() && self.text.len() <= 16 {
                std::cmp::Ordering::Equal
            } else {
                self.text.cmp(other.text)
            }
        })
    }
}

impl PartialOrd for Word<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Word<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Word<'_> {}

/// The distinct words of a text, in order of first appearance: an open-addressing table
/// of indices into the list, at most half full. Most words of a procedure recur; a lookup
/// is a multiply and usually one comparison of integers.
pub(super) struct WordSet<'t> {
    words: Vec<Word<'t>>,
    /// 0: free; else the index in `words` plus one.
    slots: Vec<u32>,
    shift: u32,
}

impl<'t> WordSet<'t> {
    /// A set for the words of a text of `len` bytes, sized for a sixteenth of it in
    /// distinct words (a procedure has about that) and doubled when half full: sized for
    /// every word to be distinct, the zeroed table was 650 MB of writes at the 20k
    /// benchmark.
    fn for_text(len: usize) -> WordSet<'t> {
        let slots = (len / 8 + 16).next_power_of_two();
        WordSet {
            words: Vec::with_capacity(len / 16 + 16),
            slots: vec![0; slots],
            shift: 64 - slots.trailing_zeros(),
        }
    }

    /// Where the search for `w` starts in a table of `64 - shift` bits.
    fn slot_of(shift: u32, w: &Word) -> usize {
        let mixed = (w.key as u64) ^ ((w.key >> 64) as u64).rotate_left(23) ^ w.text.len() as u64;
        (mixed.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> shift) as usize
    }

    // Inlined into the loop over a text's words (called from two places, it was not).
    #[inline(always)]
    fn insert(&mut self, w: Word<'t>) {
        let mask = self.slots.len() - 1;
        let mut i = Self::slot_of(self.shift, &w);
        loop {
            match self.slots[i] {
                0 => {
                    self.words.push(w);
                    self.slots[i] = self.words.len() as u32;
                    if 2 * self.words.len() > self.slots.len() {
                        self.grow();
                    }
                    return;
                }
                n if self.words[n as usize - 1] == w => return,
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Doubles the table and places every word again.
    fn grow(&mut self) {
        let len = self.slots.len() * 2;
        self.slots = vec![0; len];
        self.shift = 64 - len.trailing_zeros();
        let mask = len - 1;
        for (n, w) in self.words.iter().enumerate() {
            let mut i = Self::slot_of(self.shift, w);
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = n as u32 + 1;
        }
    }
}
/// Appends to `words` the words of a folded text worth indexing: one letter says
/// nothing, nor do day and month numbers; years, law numbers and codes do. The words are
/// those of [`tokens`], found by bytes (space and dot are ASCII): each word's end is the
/// next space, looked for eight bytes at a time ([`next_space`]).
pub(super) fn index_words<'t>(folded: &'t str, mut add: impl FnMut(Word<'t>)) {
    let bytes = folded.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // A piece up to the next space, without its leading and trailing dots.
        while bytes.get(i) == Some(&b'.') {
            i += 1;
        }
        let from = i;
        let end = next_space(bytes, i);
        let mut to = end;
        while to > from && bytes[to - 1] == b'.' {
            to -= 1;
        }
        i = end + 1;
        let Some(w) = folded.get(from..to) else {
            continue;
        };
        let keep = if w.bytes().all(|b| b.is_ascii_digit()) {
            w.len() > 2
        } else {
            // More than one character (one is at most four bytes).
            w.len() > 4 || (w.len() > 1 && w.chars().nth(1).is_some())
        };
        if keep {
            add(Word::within(w, &bytes[from..]));
        }
    }
}

/// The index of the first space in `bytes` from `i` on (`bytes.len()` if none), eight
/// bytes at a time: a folded Vietnamese word is a syllable of two to seven letters, and
/// byte by byte the search was most of the time spent finding words.
pub(super) fn next_space(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
    while let Some(chunk) = bytes.get(i..).and_then(|rest| rest.first_chunk::<8>()) {
        // Zero where a byte is a space; the lowest byte flagged is the first zero (a
        // borrow only runs upwards, past a zero byte).
        let x = u64::from_le_bytes(*chunk) ^ SPACES;
        let zero = x.wrapping_sub(ONES) & !x & HIGH;
        if zero != 0 {
            return i + (zero.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    bytes[i.min(bytes.len())..]
        .iter()
        .position(|&b| b == b' ')
        .map_or(bytes.len(), |k| i + k)
}

/// Every folded word of a procedure's text other than name and keywords (`own`):
/// distinct, sorted, joined by spaces.
///
/// All texts are folded into one buffer, a space between them (a fold neither starts nor
/// ends with a space or dot, so the words are those of each text), and the words are
/// slices of it, sorted and deduplicated: no string per text or per word.
pub(super) fn body_words(p: &Procedure, own: &[Word], folds: &FoldMemo) -> String {
    let mut texts: Vec<&Text> = Vec::new();
    texts.extend(&p.sector);
    texts.extend(&p.applicants);
    texts.extend(&p.agency);
    texts.extend(&p.authority);
    texts.extend(&p.place);
    texts.extend(&p.result);
    texts.extend(&p.requirements);
    texts.extend(&p.legal_basis);
    texts.extend(&p.decision);
    texts.extend(&p.procedure_type);
    texts.extend(&p.description);
    for c in &p.dossier {
        texts.extend(&c.case);
        texts.extend(c.items.iter().map(|i| &i.name));
    }
    texts.extend(p.forms.iter().map(|f| &f.name));
    let steps = p.steps.as_deref().unwrap_or_default();
    let len = texts.iter().map(|t| t.len() + 1).sum::<usize>() + steps.len();
    let mut folded = String::with_capacity(len);
    for t in texts {
        if !folded.is_empty() {
            folded.push(' ');
        }
        folds.fold_into(t, &mut folded);
    }
    if !steps.is_empty() {
        if !folded.is_empty() {
            folded.push(' ');
        }
        fold_into(steps, &mut folded);
    }
    // Most words recur (a procedure's texts repeat its terms): deduplicate, then sort.
    // The words of name and keywords go in first, so the texts' own copies of them are
    // found there and not kept again; they are left out below.
    let mut distinct = WordSet::for_text(folded.len() + own.len() * 16);
    for w in own {
        distinct.insert(*w);
    }
    let owned = distinct.words.len();
    index_words(&folded, |w| distinct.insert(w));
    let words = distinct.words.get(owned..).unwrap_or_default();
    // Each word and a space (the last one dropped), and room for the sixteen bytes each
    // short word is written with.
    let mut out: Vec<u8> =
        Vec::with_capacity(words.iter().map(|w| w.text.len() + 1).sum::<usize>() + 16);
    // A word of at most sixteen bytes is its key (no word holds a zero byte, so the key's
    // padding cannot be read as part of one): those are sorted as integers, half the bytes
    // of a `Word` to move, one comparison each (sorting words was 4 % of a 20k build's
    // instructions, this takes half). The few longer words are sorted as words and merged
    // in: a short word comes before a long one with the same key, which it starts.
    let mut short: Vec<u128> = Vec::with_capacity(words.len());
    let mut long: Vec<Word> = Vec::new();
    for w in words {
        if w.text.len() <= 16 {
            short.push(w.key);
        } else {
            long.push(*w);
        }
    }
    short.sort_unstable();
    long.sort_unstable();
    let mut long = long.into_iter().peekable();
    for key in short {
        while let Some(w) = long.next_if(|w| w.key < key) {
            out.extend_from_slice(w.text.as_bytes());
            out.push(b' ');
        }
        // All sixteen bytes of the key, then its padding cut off: a copy of known length,
        // not a call to `memcpy` for a few bytes.
        let padding = (key.trailing_zeros() / 8) as usize;
        out.extend_from_slice(&key.to_be_bytes());
        out.truncate(out.len() - padding);
        out.push(b' ');
    }
    for w in long {
        out.extend_from_slice(w.text.as_bytes());
        out.push(b' ');
    }
    out.pop();
    // Whole words of a string, each a slice at character boundaries (a short word's key
    // holds all of its bytes), joined by spaces: UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Folds of the short texts procedures share (an agency, a decree, a document to bring:
/// interned when the site was loaded, one `Arc` each), made once per text instead of
/// once per procedure naming it; by the text's address, its `Arc` kept so the address
/// cannot be taken by another text meanwhile. Sharded like the load's text pool.
pub(crate) struct FoldMemo {
    shards: Box<[Mutex<FoldShard>]>,
}

/// Folds by the address of their text (the text kept alongside).
pub(super) type FoldShard = hashbrown::HashMap<usize, (Text, Box<str>)>;

impl FoldMemo {
    /// Shards: a power of two, well above the thread count.
    const SHARDS: usize = 64;
    /// Longer texts are not interned (`content::pool`), so not shared either.
    const MAX_LEN: usize = 1024;

    pub(crate) fn new() -> FoldMemo {
        FoldMemo {
            shards: (0..Self::SHARDS).map(|_| Mutex::default()).collect(),
        }
    }

    /// [`fold_into`] of `t`, from the memo when `t` was folded before.
    pub(super) fn fold_into(&self, t: &Text, out: &mut String) {
        if t.len() > Self::MAX_LEN {
            return fold_into(t, out);
        }
        let key = Arc::as_ptr(t).cast::<u8>() as usize;
        // Allocations are 8-aligned: the bits above pick the shard.
        let shard = &self.shards[(key >> 3) & (Self::SHARDS - 1)];
        // A poisoned shard only means another thread panicked; its entries are whole.
        if let Some((_, f)) = shard.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            out.push_str(f);
            return;
        }
        let start = out.len();
        fold_into(t, out);
        let f: Box<str> = out[start..].into();
        shard
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, (Arc::clone(t), f));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::tokens;
    use crate::text::fold;
    use std::collections::BTreeSet;

    /// The body's words come out as the distinct words of its texts in string order,
    /// without name and keywords: words of sixteen bytes and fewer (sorted as keys), longer
    /// ones sharing their first sixteen bytes with each other and with a shorter word (sorted
    /// as words and merged in), digits and dots, and words of another script.
    #[test]
    fn body_words_are_the_distinct_words_in_string_order() {
        let steps = "chungthucbansaoa chungthucbansao chungthucbansaoab chungthucbansaoaa \
            chungthucbansaoz chungthucbansaob 1.001234 10.5 zz ab abc đăng ký khai sinh \
            chungthucbansao. xa 2025 chungthucbansaoa qwertyuiopasdfgh qwertyuiopasdfghj a \
            Ωμέγα ωμεγαωμεγαωμεγα";
        let text = format!(
            "+++\ncode = \"1.000001\"\nname = \"Đăng ký khai sinh\"\nkeywords = [\"xa\"]\n+++\n{steps}\n"
        );
        let (p, diags) = crate::content::parse_procedure_text(std::path::Path::new("p.md"), &text);
        let p = p.unwrap_or_else(|| panic!("{diags:?}"));
        let name = fold(p.title());
        let kw = fold(&p.keywords.join(" "));
        let own: Vec<Word> = tokens(&name).chain(tokens(&kw)).map(Word::new).collect();
        let body = body_words(&p, &own, &FoldMemo::new());
        // The reference: every kept word of the folded texts, as strings.
        let folded = fold(steps);
        let mut want = BTreeSet::new();
        index_words(&folded, |w| {
            want.insert(w.text);
        });
        for o in &own {
            want.remove(o.text);
        }
        let want: Vec<&str> = want.into_iter().collect();
        assert_eq!(body, want.join(" "));
        assert!(
            body.contains("chungthucbansao chungthucbansaoa chungthucbansaoaa"),
            "{body}"
        );
        assert!(!body.split(' ').any(|w| w == "dang" || w == "xa"), "{body}");
        assert!(body.ends_with("ωμεγα ωμεγαωμεγαωμεγα"), "{body}");
    }

    /// The words found by bytes, eight at a time, are those of `tokens` (the client's
    /// split) that say something: wherever the spaces and dots fall in a word of eight
    /// bytes, and at the end of the text.
    #[test]
    fn index_words_are_the_kept_tokens_wherever_the_spaces_fall() {
        let kept = |t: &&str| {
            if t.bytes().all(|b| b.is_ascii_digit()) {
                t.len() > 2
            } else {
                t.chars().count() > 1
            }
        };
        let words = [
            "a",
            "ab",
            "abc",
            "thutuc",
            "1.001234",
            ".x.",
            "..",
            "12",
            "2025",
            "ωμ",
            "đ",
            "hanhchinhcongxa",
            "q.",
        ];
        let mut texts = Vec::new();
        for lead in 0..9 {
            for (i, w) in words.iter().enumerate() {
                let next = words[(i + 3) % words.len()];
                texts.push(format!("{}{w} {next}", "x ".repeat(lead)));
                texts.push(format!("{}{w}  {next}.", "y".repeat(lead)));
                texts.push(format!("{w}{}", " ab".repeat(lead)));
            }
        }
        for text in &texts {
            let mut got = Vec::new();
            index_words(text, |w| got.push(w.text));
            let want: Vec<&str> = tokens(text).filter(kept).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    /// The set starts small and doubles: from one word to many thousands of distinct
    /// ones (long ones sharing their first sixteen bytes too), each is kept once, in
    /// order of first appearance, whatever the text's length said to expect.
    #[test]
    fn the_word_set_keeps_each_distinct_word_once_as_it_grows() {
        for distinct in [1usize, 7, 100, 1_000, 20_000] {
            let words: Vec<String> = (0..distinct)
                .map(|i| match i % 3 {
                    0 => format!("w{i}"),
                    1 => format!("thutuchanhchinhso{i}"),
                    _ => format!("{}", 100 + i),
                })
                .collect();
            // Each word three times, the text read with a length hint far too small.
            let text = [words.join(" "), words.join(" "), words.join(" ")].join(" ");
            let mut set = WordSet::for_text(text.len() / 64);
            index_words(&text, |w| set.insert(w));
            let got: Vec<&str> = set.words.iter().map(|w| w.text).collect();
            let want: Vec<&str> = words.iter().map(String::as_str).collect();
            assert_eq!(got, want, "{distinct} distinct words");
        }
    }
}
