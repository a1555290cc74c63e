// The context-wide duplicate table (proto/dedup.h): lookups, replies,
// expiry, eviction in ring order and the index staying consistent through
// wrap-around, checked against a simple model.
#include <gtest/gtest.h>

#include <cstring>
#include <deque>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "proto/dedup.h"

namespace coap {
namespace {

std::string reply_of(const DedupTable::Hit &hit) {
  return hit.reply ? std::string(reinterpret_cast<const char *>(hit.reply), hit.reply_length)
                   : std::string();
}

TEST(DedupTable, RemembersMessageIdsPerOwner) {
  DedupTable t;
  EXPECT_FALSE(t.find(1, 0x1234, 10).seen);
  ASSERT_TRUE(t.remember(1, 0x1234, 1000));
  EXPECT_TRUE(t.find(1, 0x1234, 10).seen);
  EXPECT_EQ(t.find(1, 0x1234, 10).reply, nullptr);
  EXPECT_FALSE(t.find(2, 0x1234, 10).seen) << "another session's id";
  EXPECT_FALSE(t.find(1, 0x1235, 10).seen);
}

TEST(DedupTable, KeepsTheReply) {
  DedupTable t;
  ASSERT_TRUE(t.remember(7, 42, 1000));
  const char reply[] = "reply bytes";
  t.set_reply(7, 42, reinterpret_cast<const uint8_t *>(reply), sizeof(reply) - 1);
  DedupTable::Hit hit = t.find(7, 42, 10);
  ASSERT_TRUE(hit.seen);
  EXPECT_EQ(reply_of(hit), "reply bytes");
  // A reply for an id never remembered is ignored.
  t.set_reply(7, 43, reinterpret_cast<const uint8_t *>(reply), 3);
  EXPECT_FALSE(t.find(7, 43, 10).seen);
}

TEST(DedupTable, ReplyOfAnOlderRecordMovesToTheHead) {
  DedupTable t;
  ASSERT_TRUE(t.remember(1, 1, 1000));
  ASSERT_TRUE(t.remember(1, 2, 1000));  // 1 is no longer the last record
  t.set_reply(1, 1, reinterpret_cast<const uint8_t *>("one"), 3);
  t.set_reply(1, 2, reinterpret_cast<const uint8_t *>("two"), 3);
  EXPECT_EQ(reply_of(t.find(1, 1, 0)), "one");
  EXPECT_EQ(reply_of(t.find(1, 2, 0)), "two");
}

TEST(DedupTable, ForgetsAfterExpiry) {
  DedupTable t;
  ASSERT_TRUE(t.remember(1, 5, 1000));
  EXPECT_TRUE(t.find(1, 5, 999).seen);
  EXPECT_FALSE(t.find(1, 5, 1000).seen);
  // Received again later: tracked anew.
  ASSERT_TRUE(t.remember(1, 5, 3000));
  EXPECT_TRUE(t.find(1, 5, 2000).seen);
}

TEST(DedupTable, ClearForgetsEverything) {
  DedupTable t;
  ASSERT_TRUE(t.remember(1, 5, 1000));
  t.clear();
  EXPECT_FALSE(t.find(1, 5, 0).seen);
  ASSERT_TRUE(t.remember(1, 6, 1000));
  EXPECT_TRUE(t.find(1, 6, 0).seen);
}

TEST(DedupTable, OversizedRepliesAreNotKept) {
  DedupTable t(256);  // the smallest ring
  ASSERT_TRUE(t.remember(1, 1, 1000));
  std::vector<uint8_t> big(200, 'x');
  t.set_reply(1, 1, big.data(), big.size());
  DedupTable::Hit hit = t.find(1, 1, 0);
  EXPECT_TRUE(hit.seen);
  EXPECT_EQ(hit.reply, nullptr);
}

TEST(DedupTable, OldestRecordsGoFirstWhenTheRingIsFull) {
  DedupTable t(1024);
  std::vector<uint8_t> reply(40, 'r');  // 16 + 48 bytes per record
  for (uint16_t mid = 0; mid < 64; ++mid) {
    ASSERT_TRUE(t.remember(1, mid, 100000));
    t.set_reply(1, mid, reply.data(), reply.size());
  }
  // 1024 / 64 = 16 records fit: the last 16 are there, older ones gone.
  for (uint16_t mid = 0; mid < 48; ++mid) EXPECT_FALSE(t.find(1, mid, 0).seen) << mid;
  for (uint16_t mid = 48; mid < 64; ++mid) {
    DedupTable::Hit hit = t.find(1, mid, 0);
    ASSERT_TRUE(hit.seen) << mid;
    EXPECT_EQ(hit.reply_length, reply.size());
  }
}

// Random operations against a model that keeps the last records that fit,
// with ring sizes that force wrap-around, padding and index collisions.
TEST(DedupTable, MatchesAModelThroughWrapAround) {
  std::mt19937 rng(12345);
  for (size_t ring : {256u, 1024u, 4096u}) {
    DedupTable t(ring);
    // Model: records in ring order with their sizes; the table may drop
    // more (padding at the end), never fewer, so only these hold:
    // - whatever the table reports matches the latest model value;
    // - the most recent records (well within capacity) are always found.
    std::map<std::pair<uint32_t, uint16_t>, std::string> latest;
    std::deque<std::pair<uint32_t, uint16_t>> order;
    for (int step = 0; step < 20000; ++step) {
      uint32_t owner = 1 + rng() % 5;
      uint16_t mid = static_cast<uint16_t>(rng() % 40);
      ASSERT_TRUE(t.remember(owner, mid, 1000000));
      std::string value;
      if (rng() % 4) {
        value.assign(rng() % 60, static_cast<char>('a' + step % 26));
        t.set_reply(owner, mid, reinterpret_cast<const uint8_t *>(value.data()), value.size());
      }
      latest[{owner, mid}] = value;
      order.push_back({owner, mid});
      if (order.size() > 8) order.pop_front();
      // The last record is always there with its reply.
      DedupTable::Hit hit = t.find(owner, mid, 0);
      ASSERT_TRUE(hit.seen) << "ring " << ring << " step " << step;
      ASSERT_EQ(reply_of(hit), value);
      if (step % 97 == 0) {
        for (const auto &[key, v] : latest) {
          DedupTable::Hit h = t.find(key.first, key.second, 0);
          if (h.seen) {
            ASSERT_EQ(reply_of(h), v) << "stale reply, ring " << ring;
          }
        }
      }
      if (ring >= 4096) {
        // Eight records of at most 16 + 64 bytes are far below capacity.
        for (const auto &key : order) ASSERT_TRUE(t.find(key.first, key.second, 0).seen);
      }
    }
  }
}

}  // namespace
}  // namespace coap
