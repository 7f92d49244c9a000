/**
 * Personal data. In free text: finds e-mail addresses, phone numbers, Chinese resident ID numbers, bank card numbers
 * and IP addresses, validates each candidate (checksums, dates, octets, groups), replaces it with its kind's
 * placeholder and counts what it replaced (the redactor depends on nothing else in Moxing). At rest: the data
 * directory's {@link io.moxing.privacy.DataKey} and the {@link io.moxing.privacy.RecordCipher} that seals each
 * logged record with it (AES-GCM).
 */
package io.moxing.privacy;
