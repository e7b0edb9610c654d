#pragma once

#include <QByteArray>
#include <QList>

namespace okh {

// A RESP reply as a plain value, copied out of hiredis's reply tree.
struct RedisReply
{
    enum class Type { String, Array, Integer, Nil, Status, Error };
    Type type = Type::Nil;
    QByteArray text; // String, Status and Error
    qint64 integer = 0;
    QList<RedisReply> elements;

    bool isError() const { return type == Type::Error; }
};

} // namespace okh
