package widget

import "time"

// The record's times have one fixed form, recordTimeLayout. They are written and read
// here digit by digit, with the calendar computed from Unix time, rather than with
// time.Time.Format, time.Parse, time.Date or Time.Date: those bring the layout interpreter
// and the time zone machinery of package time into the WebAssembly build, about 140 KB of
// code (30 KB brotli) for every visitor. recordtime_test.go checks these functions against
// package time.

// formatRecordTime writes t as "created" and "updated" are written: recordTimeLayout, in
// UTC. Years outside 0–9999 cannot be written in that form; they are clamped, and such a
// record then fails to decode, like any other bad time.
func formatRecordTime(t time.Time) string {
	secs := t.Unix()
	days, secOfDay := secs/secondsPerDay, secs%secondsPerDay
	if secOfDay < 0 {
		days, secOfDay = days-1, secOfDay+secondsPerDay
	}
	year, month, day := civilFromDays(days)
	if year < 0 {
		year, month, day, secOfDay = 0, 1, 1, 0
	} else if year > 9999 {
		year, month, day, secOfDay = 9999, 12, 31, secondsPerDay-1
	}
	b := make([]byte, 0, len(recordTimeLayout))
	b = appendDigits(b, int(year), 4)
	b = append(b, '-')
	b = appendDigits(b, month, 2)
	b = append(b, '-')
	b = appendDigits(b, day, 2)
	b = append(b, 'T')
	b = appendDigits(b, int(secOfDay/3600), 2)
	b = append(b, ':')
	b = appendDigits(b, int(secOfDay/60%60), 2)
	b = append(b, ':')
	b = appendDigits(b, int(secOfDay%60), 2)
	return string(append(b, 'Z'))
}

// appendDigits appends n, which is not negative, in width decimal digits.
func appendDigits(b []byte, n, width int) []byte {
	b = append(b, make([]byte, width)...)
	for i := len(b) - 1; i >= len(b)-width; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return b
}

// parseRecordTime reads a time written exactly as formatRecordTime writes it, and reports
// whether s was one: the separators in place, digits elsewhere, and a date and time that
// exist (no February 30th, no 24:00:00, no leap second).
func parseRecordTime(s string) (time.Time, bool) {
	if len(s) != len(recordTimeLayout) {
		return time.Time{}, false
	}
	var fields [6]int // year, month, day, hour, minute, second
	field := 0
	for i := 0; i < len(s); i++ {
		c, want := s[i], recordTimeLayout[i]
		if want >= '0' && want <= '9' {
			if c < '0' || c > '9' {
				return time.Time{}, false
			}
			fields[field] = fields[field]*10 + int(c-'0')
			continue
		}
		if c != want {
			return time.Time{}, false
		}
		field++
	}
	year, month, day := fields[0], fields[1], fields[2]
	hour, minute, second := fields[3], fields[4], fields[5]
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59 {
		return time.Time{}, false
	}
	secs := daysFromCivil(int64(year), month, day)*secondsPerDay + int64(hour*3600+minute*60+second)
	return time.Unix(secs, 0).UTC(), true
}

const secondsPerDay = 24 * 60 * 60

// daysIn returns the number of days of month in year, in the proleptic Gregorian calendar.
func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns the number of days from 1970-01-01 to the given date, and
// civilFromDays the reverse, in the proleptic Gregorian calendar. Both count in eras of
// 400 years (146,097 days) that start on March 1st, so that the leap day is the last day
// of a year (Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms").
func daysFromCivil(year int64, month, day int) int64 {
	if month <= 2 {
		year--
	}
	era := year / 400
	if year < 0 && year%400 != 0 {
		era--
	}
	yearOfEra := year - era*400                                         // [0, 399]
	dayOfYear := int64((153*((month+9)%12)+2)/5 + day - 1)              // [0, 365], from March 1st
	dayOfEra := yearOfEra*365 + yearOfEra/4 - yearOfEra/100 + dayOfYear // [0, 146096]
	return era*146097 + dayOfEra - 719468
}

func civilFromDays(days int64) (year int64, month, day int) {
	days += 719468
	era := days / 146097
	if days < 0 && days%146097 != 0 {
		era--
	}
	dayOfEra := days - era*146097                                                    // [0, 146096]
	yearOfEra := (dayOfEra - dayOfEra/1460 + dayOfEra/36524 - dayOfEra/146096) / 365 // [0, 399]
	dayOfYear := dayOfEra - (365*yearOfEra + yearOfEra/4 - yearOfEra/100)            // [0, 365]
	mp := (5*dayOfYear + 2) / 153                                                    // [0, 11], from March
	day = int(dayOfYear - (153*mp+2)/5 + 1)
	month = int(mp+2)%12 + 1
	year = yearOfEra + era*400
	if month <= 2 {
		year++
	}
	return year, month, day
}
