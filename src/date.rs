//! Calendar dates without time zones: procedures take effect and are repealed on days.

use std::fmt;

/// A civil date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let mut it = s.splitn(3, '-');
        let y = it.next()?;
        let m = it.next()?;
        let d = it.next()?;
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// Today in Vietnam (UTC+7), where the offices are.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date::from_unix_days((secs + 7 * 3600).div_euclid(86_400))
    }

    /// The date of a file modification time, in Vietnam.
    pub fn from_system_time(t: std::time::SystemTime) -> Date {
        let secs = t
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date::from_unix_days((secs + 7 * 3600).div_euclid(86_400))
    }

    /// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    pub fn from_unix_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        Date {
            year: (if m <= 2 { y + 1 } else { y }) as i32,
            month: m,
            day: d,
        }
    }

    /// `01/07/2025`, as Vietnamese readers write dates.
    pub fn vi(&self) -> String {
        match u16::try_from(self.year) {
            Ok(y) if y <= 9999 => {
                let mut b = [b'/'; 10];
                b[0..2].copy_from_slice(&two_digits(self.day));
                b[3..5].copy_from_slice(&two_digits(self.month));
                b[6..10].copy_from_slice(&four_digits(y));
                ascii(&b)
            }
            _ => format!("{:02}/{:02}/{:04}", self.day, self.month, self.year),
        }
    }

    /// `2025-07-01`.
    pub fn iso(&self) -> String {
        match u16::try_from(self.year) {
            Ok(y) if y <= 9999 => {
                let mut b = [b'-'; 10];
                b[0..4].copy_from_slice(&four_digits(y));
                b[5..7].copy_from_slice(&two_digits(self.month));
                b[8..10].copy_from_slice(&two_digits(self.day));
                ascii(&b)
            }
            _ => format!("{:04}-{:02}-{:02}", self.year, self.month, self.day),
        }
    }
}

// Dates are written several times for every procedure (pages, sheets, open data,
// sitemap, feed): digits put in place instead of through `format!`, whose machinery took
// a thousand instructions a date.

/// `n` (below 100) as two digits.
fn two_digits(n: u8) -> [u8; 2] {
    [b'0' + n / 10 % 10, b'0' + n % 10]
}

/// `n` (below 10,000) as four digits.
fn four_digits(n: u16) -> [u8; 4] {
    let [a, b] = two_digits((n / 100 % 100) as u8);
    let [c, d] = two_digits((n % 100) as u8);
    [a, b, c, d]
}

/// Digits and separators as a string (ASCII, so never lossy).
fn ascii(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Dates serialise as `2025-07-01` (open data is for machines).
impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        let d = Date::parse("2025-07-01").unwrap();
        assert_eq!(d.vi(), "01/07/2025");
        assert_eq!(d.iso(), "2025-07-01");
        assert!(Date::parse("2025-02-30").is_none());
        assert!(Date::parse("2025-7-1").is_none());
        assert!(Date::parse("garbage").is_none());
    }

    /// Digits put in place write what `format!` writes, for every day of four centuries
    /// and for years beyond four digits.
    #[test]
    fn dates_are_written_as_format_writes_them() {
        for z in -200_000..150_000 {
            let d = Date::from_unix_days(z);
            let (y, m, day) = (d.year, d.month, d.day);
            assert_eq!(d.vi(), format!("{day:02}/{m:02}/{y:04}"));
            assert_eq!(d.iso(), format!("{y:04}-{m:02}-{day:02}"));
        }
        let far = Date::new(12_345, 3, 4).unwrap();
        assert_eq!(
            (far.vi().as_str(), far.iso().as_str()),
            ("04/03/12345", "12345-03-04")
        );
    }

    #[test]
    fn unix_days() {
        assert_eq!(Date::from_unix_days(0), Date::new(1970, 1, 1).unwrap());
        assert_eq!(Date::from_unix_days(20_270), Date::new(2025, 7, 1).unwrap());
    }
}
