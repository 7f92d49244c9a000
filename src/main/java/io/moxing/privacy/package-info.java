/** Personal data in free text: finds e-mail addresses, phone numbers, Chinese resident ID numbers, bank card numbers and IP addresses, validates each candidate (checksums, dates, octets, groups), replaces it with its kind's placeholder and counts what it replaced. Depends on nothing else in Moxing. */
package io.moxing.privacy;
